import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../launchers/repo-paths.js';

let cached: string | undefined;

/** kzbench's own version (package.json), recorded in every results environment. */
export function kzbenchVersion(): string {
  if (cached === undefined) {
    try {
      cached = (JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
    } catch {
      cached = 'unknown';
    }
  }
  return cached;
}
