import type { Logger } from '../../../common/logger.js';
import { startApacheInTempDir } from '../apache-target.js';
import type { StartedTarget } from '../target-spec.js';
import { conformanceZooCfg } from './target-profile.js';

/**
 * A standalone Apache ZooKeeper for the suite, through the local launcher, with the
 * conformance settings (TTL nodes, the super:test superuser, a restricted 4lw whitelist).
 */
export async function startApacheZooKeeper(version: string | undefined, log: Logger): Promise<StartedTarget> {
  return startApacheInTempDir({ system: 'zookeeper', version, zooCfg: conformanceZooCfg, log }, 'kzbench-conformance-');
}
