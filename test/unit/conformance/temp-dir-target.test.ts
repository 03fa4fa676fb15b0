import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Target } from '../../../workloads/launchers/target.js';
import { startInTempDir } from '../../../workloads/conformance/temp-dir-target.js';

const target: Target = { system: 'zookeeper', impl: 'reference', version: '3.9.5', launcher: 'embedded', nodes: [{ id: 1, host: '127.0.0.1', port: 2181 }] };

describe('a conformance target started in a temp dir', () => {
  it('is configured by the runner, stops what the starter started, then removes the dir', async () => {
    let dir = '';
    const stopped: string[] = [];
    const started = await startInTempDir('kz-temp-target-', async (d) => {
      dir = d;
      await writeFile(join(d, 'data'), 'x');
      return { target, stop: async () => void stopped.push(existsSync(join(d, 'data')) ? 'stopped with its files' : 'files gone early') };
    });
    expect(started.configured).toBe(true);
    expect(started.target).toEqual(target);
    expect(existsSync(dir)).toBe(true);
    await started.stop();
    expect(stopped).toEqual(['stopped with its files']);
    expect(existsSync(dir)).toBe(false);
  });

  it('removes the dir and passes the error on when the start fails', async () => {
    let dir = '';
    const failing = startInTempDir('kz-temp-target-', async (d) => {
      dir = d;
      await writeFile(join(d, 'half-started'), 'x');
      throw new Error('no server today');
    });
    await expect(failing).rejects.toThrow('no server today');
    expect(dir).not.toBe('');
    expect(existsSync(dir)).toBe(false);
  });
});
