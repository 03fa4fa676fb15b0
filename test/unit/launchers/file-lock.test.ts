import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withFileLock } from '../../../workloads/launchers/file-lock.js';

describe('withFileLock', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kz-lock-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('serialises two holders and removes the lock afterwards', async () => {
    const lock = join(dir, 'a.lock');
    const events: string[] = [];
    const holder = (name: string) =>
      withFileLock(
        lock,
        async () => {
          events.push(`${name} in`);
          await sleep(50);
          events.push(`${name} out`);
        },
        { pollMs: 10 },
      );
    await Promise.all([holder('first'), holder('second')]);
    expect(events).toHaveLength(4);
    // Never two insides at once: every "in" is followed by its own "out".
    expect(events[1]).toBe(events[0]!.replace(' in', ' out'));
    expect(events[3]).toBe(events[2]!.replace(' in', ' out'));
    expect(existsSync(lock)).toBe(false);
  });

  it('takes over a lock whose owner died', async () => {
    const lock = join(dir, 'stale.lock');
    const child = spawn(process.execPath, ['-e', '0']);
    const deadPid = child.pid!;
    await new Promise((resolve) => child.on('exit', resolve));
    await writeFile(lock, String(deadPid));
    expect(await withFileLock(lock, async () => 'ran', { pollMs: 10, timeoutMs: 5000 })).toBe('ran');
  });

  it('gives up with KZ_LOCK_TIMEOUT while a live owner holds it', async () => {
    const lock = join(dir, 'held.lock');
    await writeFile(lock, String(process.pid));
    await expect(withFileLock(lock, async () => 'never', { pollMs: 10, timeoutMs: 100 })).rejects.toMatchObject({ code: 'KZ_LOCK_TIMEOUT' });
    await rm(lock);
  });
});
