import { describe, expect, it } from 'vitest';
import { parsePortOption } from '../../../cli/port-option.js';

describe('--port of kzbench serve kafka / zookeeper', () => {
  it('takes 0 (a free port) to 65535, and nothing when the option is absent', () => {
    expect(parsePortOption(undefined)).toBeUndefined();
    expect(parsePortOption('0')).toBe(0);
    expect(parsePortOption('2181')).toBe(2181);
    expect(parsePortOption('65535')).toBe(65535);
  });

  it('refuses anything else as a usage error (exit 2) that names the value', () => {
    for (const raw of ['65536', '-1', '21.5', 'abc']) {
      expect(() => parsePortOption(raw)).toThrow(expect.objectContaining({ code: 'KZ_USAGE', exitCode: 2, message: `--port ${raw} is not a TCP port (0-65535)` }));
    }
  });
});
