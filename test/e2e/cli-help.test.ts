import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

describe('kzbench CLI contract', () => {
  it('lists every command of DESIGN.md in --help', async () => {
    const res = await runCli(['--help']);
    expect(res.code).toBe(0);
    for (const cmd of ['serve', 'apache', 'cluster', 'run', 'check', 'bench', 'conformance', 'report']) {
      expect(res.stdout).toMatch(new RegExp(`^\\s+${cmd}\\b`, 'm'));
    }
  });

  it('answers an unknown command with a usage error (exit 2)', async () => {
    const res = await runCli(['no-such-command']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/unknown command/);
  });
});
