import { join } from 'node:path';
import { repoRoot } from '../launchers/repo-paths.js';

/** The scenarios shipped with kzbench: `workloads/conformance/<system>/scenarios/` in the checkout (read from the sources, also by the build). */
export function defaultScenarioDirectory(system: string): string {
  return join(repoRoot(), 'workloads', 'conformance', system, 'scenarios');
}
