import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ClusterRequest, startCluster } from '../launchers/cluster-launcher.js';
import type { StartedTarget } from './target-spec.js';

/**
 * A one-node Apache cluster for a conformance suite, through the local launcher, in a
 * directory under the system temp dir that is removed when it stops (or fails to start).
 */
export async function startApacheInTempDir(req: Omit<ClusterRequest, 'dir' | 'impl' | 'nodes'>, dirPrefix: string): Promise<StartedTarget> {
  const dir = await mkdtemp(join(tmpdir(), dirPrefix));
  try {
    const cluster = await startCluster({ ...req, impl: 'apache', nodes: 1, dir });
    return {
      target: cluster.target,
      configured: true,
      stop: async () => {
        await cluster.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
