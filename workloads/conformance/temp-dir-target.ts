import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Target } from '../launchers/target.js';
import type { StartedTarget } from './target-spec.js';

/** A target a starter has brought up, and how to stop what it started. */
export interface RunningTarget {
  target: Target;
  stop(): Promise<void>;
}

/**
 * A target the runner starts with its own settings, in a fresh directory under the system
 * temp dir: the directory is removed when the target stops, or at once if it fails to start.
 */
export async function startInTempDir(dirPrefix: string, start: (dir: string) => Promise<RunningTarget>): Promise<StartedTarget> {
  const dir = await mkdtemp(join(tmpdir(), dirPrefix));
  try {
    const running = await start(dir);
    return {
      target: running.target,
      configured: true,
      stop: async () => {
        await running.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
