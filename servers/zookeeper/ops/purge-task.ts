import type { Logger } from '../../../common/logger.js';
import type { Persistence } from '../storage/persistence.js';

/**
 * Apache's `DatadirCleanupManager`: with `autopurge.purgeInterval` > 0 (hours), keeps the
 * newest `autopurge.snapRetainCount` snapshots (at least 3) and the logs they need, at start
 * and then every interval.
 */
export class PurgeTask {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly persistence: Persistence,
    private readonly retain: number,
    private readonly intervalMs: number,
    private readonly log: Logger,
  ) {}

  start(): void {
    if (this.intervalMs <= 0) return;
    this.runOnce();
    this.timer = setInterval(() => this.runOnce(), this.intervalMs);
    this.timer.unref();
  }

  runOnce(): void {
    try {
      const removed = this.persistence.purge(this.retain);
      if (removed.snapshots.length + removed.logs.length > 0) {
        this.log.info(`purged ${removed.snapshots.length} snapshots and ${removed.logs.length} logs`);
      }
    } catch (err) {
      this.log.warn(`autopurge failed: ${(err as Error).message}`);
    }
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
