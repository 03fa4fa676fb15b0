import type { Logger } from '../../../common/logger.js';
import { Code, KeeperError } from '../keeper-error.js';
import type { DataTree } from '../tree/data-tree.js';
import { quotaLimitPath, quotaStatPath } from './quota-paths.js';
import { StatsTrack } from './stats-track.js';

/**
 * Quota checks on create and setData (`ZooKeeperServer.checkQuota`): a soft limit
 * (count=/bytes=) is only logged, a hard limit (countHardLimit=/byteHardLimit=) rejects with
 * QUOTAEXCEEDED — when `zookeeper.enforceQuota` is on. With enforcement off (Apache's default)
 * nothing is rejected and exceeding either limit is logged as a warning.
 */
export class QuotaEnforcer {
  private lastWarning = 0;

  constructor(
    private readonly tree: DataTree,
    private readonly enforce: boolean,
    private readonly log: Logger,
  ) {}

  check(path: string, lastDataLength: number, newDataLength: number, isCreate: boolean): void {
    const prefix = this.tree.maxPrefixWithQuota(path);
    if (prefix === null) return;
    const countDiff = isCreate ? 1 : 0;
    const bytesDiff = isCreate ? newDataLength : newDataLength - lastDataLength;
    const limitNode = this.tree.getNode(quotaLimitPath(prefix));
    if (limitNode === undefined) return;
    const limits = StatsTrack.fromBytes(limitNode.data);
    const checkCount = countDiff !== 0 && (limits.count > -1 || limits.countHardLimit > -1);
    const checkBytes = bytesDiff !== 0 && (limits.bytes > -1 || limits.byteHardLimit > -1);
    if (!checkCount && !checkBytes) return;
    const statNode = this.tree.getNode(quotaStatPath(prefix));
    if (statNode === undefined) return;
    const current = StatsTrack.fromBytes(statNode.data);
    if (checkCount) {
      const hard = limits.countHardLimit > -1;
      const limit = hard ? limits.countHardLimit : limits.count;
      const next = current.count + countDiff;
      if (next > limit) this.exceeded(`Quota exceeded: ${prefix} [current count=${next}, ${hard ? 'hard' : 'soft'}CountLimit=${limit}]`, hard);
    }
    if (checkBytes) {
      const hard = limits.byteHardLimit > -1;
      const limit = hard ? limits.byteHardLimit : limits.bytes;
      const next = current.bytes + bytesDiff;
      if (next > limit) this.exceeded(`Quota exceeded: ${prefix} [current bytes=${next}, ${hard ? 'hard' : 'soft'}ByteLimit=${limit}]`, hard);
    }
  }

  private exceeded(message: string, hard: boolean): void {
    // Rate-limited like Apache's RateLogger: a flood of over-quota writes must not flood the log.
    const now = Date.now();
    if (now - this.lastWarning > 1000) {
      this.lastWarning = now;
      this.log.warn(message);
    }
    if (hard && this.enforce) throw new KeeperError(Code.QUOTAEXCEEDED);
  }
}
