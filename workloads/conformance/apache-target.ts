import { type ClusterRequest, startCluster } from '../launchers/cluster-launcher.js';
import type { StartedTarget } from './target-spec.js';
import { startInTempDir } from './temp-dir-target.js';

/**
 * A one-node Apache cluster for a conformance suite, through the local launcher, in a
 * directory under the system temp dir that is removed when it stops (or fails to start).
 */
export function startApacheInTempDir(req: Omit<ClusterRequest, 'dir' | 'impl' | 'nodes'>, dirPrefix: string): Promise<StartedTarget> {
  return startInTempDir(dirPrefix, async (dir) => {
    const cluster = await startCluster({ ...req, impl: 'apache', nodes: 1, dir });
    return { target: cluster.target, stop: () => cluster.stop() };
  });
}
