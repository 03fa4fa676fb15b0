import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A tmpfs of a few MiB that fills up for real (ENOSPC), and can be grown to let a server recover. */
export interface SmallTmpfs {
  dir: string;
  /** Remounts at `bytes` (what is on it stays). */
  resize(bytes: number): void;
  /** Unmounts and removes the mount point. */
  dispose(): void;
}

/** Mounts a tmpfs of `bytes`, or returns why it cannot (needs root and mount(8)). */
export function mountSmallTmpfs(bytes: number): SmallTmpfs | string {
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root';
  const dir = mkdtempSync(join(tmpdir(), 'kz-full-disk-'));
  const mount = (opts: string) => {
    const r = spawnSync('mount', ['-t', 'tmpfs', '-o', opts, 'tmpfs', dir], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`mount -o ${opts} failed: ${r.error?.message ?? r.stderr.trim()}`);
  };
  try {
    mount(`size=${bytes}`);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    return (err as Error).message;
  }
  return {
    dir,
    resize: (size) => mount(`remount,size=${size}`),
    dispose: () => {
      spawnSync('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
