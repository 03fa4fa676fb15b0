import { open, readFile, unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { KzbenchError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import { processExists } from './process-liveness.js';

export interface FileLockOptions {
  /** Give up after this long waiting for another holder. */
  timeoutMs?: number;
  pollMs?: number;
  log?: Logger;
}

/**
 * Runs `fn` while holding `lockPath`, a file created exclusively that holds the owner's pid.
 * Another process waits; a lock whose owner is dead (a crashed fetch) is taken over.
 */
export async function withFileLock<T>(lockPath: string, fn: () => Promise<T>, opts: FileLockOptions = {}): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 30 * 60_000;
  const pollMs = opts.pollMs ?? 500;
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
    if (!Number.isFinite(owner) || !processExists(owner)) {
      // Stale: its owner died (or is mid-write; then the next round sees its pid).
      if (Number.isFinite(owner)) await unlink(lockPath).catch(() => {});
      else await sleep(pollMs);
      continue;
    }
    if (Date.now() > deadline) {
      throw new KzbenchError('KZ_LOCK_TIMEOUT', `gave up after ${Math.round(timeoutMs / 1000)} s waiting for ${lockPath} (held by pid ${owner})`);
    }
    if (!announced) {
      opts.log?.info(`waiting for pid ${owner}, which holds ${lockPath}`);
      announced = true;
    }
    await sleep(pollMs);
  }
  try {
    return await fn();
  } finally {
    await unlink(lockPath).catch(() => {});
  }
}
