import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../../common/logger.js';
import { startCluster } from '../../launchers/cluster-launcher.js';
import type { StartedTarget } from '../target-spec.js';
import { conformanceZooCfg } from './target-profile.js';

/**
 * A standalone Apache ZooKeeper for the suite, through the local launcher, with the
 * conformance settings (TTL nodes, the super:test superuser, a restricted 4lw whitelist).
 * Its directory lives under the system temp dir and is removed when it stops.
 */
export async function startApacheZooKeeper(version: string | undefined, log: Logger): Promise<StartedTarget> {
  const dir = await mkdtemp(join(tmpdir(), 'kzbench-conformance-'));
  try {
    const cluster = await startCluster({ system: 'zookeeper', impl: 'apache', version, nodes: 1, dir, zooCfg: conformanceZooCfg, log });
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
