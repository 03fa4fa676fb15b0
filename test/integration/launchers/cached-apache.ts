import { debianZookeeper, findCachedDistribution, type ApacheDistribution } from '../../../workloads/launchers/apache-distribution.js';
import type { ApacheSystem } from '../../../workloads/launchers/apache-versions.js';
import { findOnPath } from '../../../workloads/launchers/prerequisites.js';
import { cacheRoot } from '../../../workloads/launchers/repo-paths.js';

/**
 * An Apache distribution from the cache, or the reason a test must skip: tests never download
 * (CI runs `kzbench apache fetch` before `npm test`).
 */
export async function cachedApache(system: ApacheSystem, version: string): Promise<{ dist: ApacheDistribution | null; reason: string }> {
  if (!findOnPath('java')) return { dist: null, reason: 'java is not installed (apt-get install openjdk-17-jre-headless)' };
  const dist = version === 'debian' ? debianZookeeper(cacheRoot()) : await findCachedDistribution(cacheRoot(), system, version);
  const how = version === 'debian' ? 'apt-get install zookeeper' : `node dist/cli/main.js apache fetch --${system} ${version}`;
  return { dist, reason: dist ? '' : `Apache ${system} ${version} is not available: ${how}` };
}
