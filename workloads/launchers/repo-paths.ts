import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The kzbench checkout this module runs from. Found by walking up to the package.json named
 * `kzbench`, so it works from the sources (workloads/launchers/) and from the build
 * (dist/workloads/launchers/) alike.
 */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'kzbench') return dir;
      } catch {
        // not ours; keep walking
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the kzbench package root above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/** `KZBENCH_CACHE`, or `.cache/` in the checkout. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env.KZBENCH_CACHE ? resolve(env.KZBENCH_CACHE) : join(repoRoot(), '.cache');
}

/** The built CLI that `--impl reference` spawns (`npm run build` makes it). */
export function builtCliPath(): string {
  return join(repoRoot(), 'dist', 'cli', 'main.js');
}
