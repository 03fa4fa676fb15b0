import type { Logger } from '../../../common/logger.js';
import { KeeperError } from '../keeper-error.js';
import { prepDeleteContainer } from '../processing/prep-request.js';
import { ephemeralKind, ttlOfEphemeralOwner } from '../tree/ephemeral-type.js';
import type { ZooKeeperServer } from '../zookeeper-server.js';

export interface ContainerManagerOptions {
  /** `znode.container.checkIntervalMs` (Apache: 60000). */
  checkIntervalMs: number;
  /** `znode.container.maxPerMinute` (Apache: 10000): deletions are spread to at most this rate. */
  maxPerMinute: number;
  /** `znode.container.maxNeverUsedIntervalMs` (Apache 3.9: 0 = never-used containers stay). */
  maxNeverUsedIntervalMs: number;
}

/**
 * Apache's `ContainerManager`: every check interval, deletes containers that had children and
 * are empty again, and TTL nodes with no children whose mtime is older than their TTL. Each
 * deletion is a deleteContainer txn (logged, replayed, watched like any delete).
 */
export class ContainerManager {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private busy = false;

  constructor(
    private readonly server: ZooKeeperServer,
    private readonly options: ContainerManagerOptions,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.running = true;
    this.timer = setInterval(() => void this.checkContainers(), Math.max(1, this.options.checkIntervalMs));
    this.timer.unref();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  candidates(): string[] {
    const { tree } = this.server;
    const now = this.server.clock.wall();
    const out: string[] = [];
    for (const path of tree.containers) {
      const node = tree.getNode(path);
      if (node === undefined || node.numChildren > 0) continue;
      if (node.cversion > 0) out.push(path);
      else if (this.options.maxNeverUsedIntervalMs !== 0 && now - node.mtime > this.options.maxNeverUsedIntervalMs) out.push(path);
    }
    for (const path of tree.ttls) {
      const node = tree.getNode(path);
      if (node === undefined || node.numChildren > 0) continue;
      if (ephemeralKind(node.ephemeralOwner, tree.options) !== 'ttl') continue;
      const ttl = Number(ttlOfEphemeralOwner(node.ephemeralOwner));
      if (ttl !== 0 && now - node.mtime > ttl) out.push(path);
    }
    return out;
  }

  /** One sweep; deletions are paced to `maxPerMinute`. Resolves when the sweep is done. */
  async checkContainers(): Promise<number> {
    if (this.busy || !this.server.isRunning) return 0;
    this.busy = true;
    let deleted = 0;
    try {
      const minIntervalMs = 60_000 / Math.max(1, this.options.maxPerMinute);
      for (const path of this.candidates()) {
        if (!this.running || !this.server.isRunning) break;
        const started = Date.now();
        try {
          const txn = prepDeleteContainer(this.server.prepContext, path);
          this.server.commit(0n, 0, txn);
          deleted++;
        } catch (err) {
          if (!(err instanceof KeeperError)) throw err;
          this.log.debug(`not deleting container ${path}: ${err.message}`);
        }
        const wait = minIntervalMs - (Date.now() - started);
        if (wait >= 1) await new Promise((resolve) => setTimeout(resolve, wait).unref());
      }
    } finally {
      this.busy = false;
    }
    return deleted;
  }
}
