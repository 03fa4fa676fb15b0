import { CreateMode, ErrorCode } from '../../protocols/zookeeper/index.js';
import { isZooKeeperError, type ZooKeeperClient } from '../clients/zookeeper/index.js';

/** The lock's contender node vanished while waiting: the session ended (expired or closed). */
export class LockLostError extends Error {
  constructor(node: string) {
    super(`contender node ${node} is gone: the session no longer holds a place in the queue`);
    this.name = 'LockLostError';
  }
}

/** Waiting for the lock took longer than allowed (the contender node may still be queued). */
export class AcquireTimeoutError extends Error {
  constructor(
    readonly node: string,
    ms: number,
  ) {
    super(`not first in the queue after ${ms} ms`);
    this.name = 'AcquireTimeoutError';
  }
}

export interface HeldLock {
  /** Full path of our contender node. */
  node: string;
  /** Its sequence number: the fencing token / election term the recipe gives. */
  sequence: number;
}

const PREFIX = 'lock-';

/**
 * ZooKeeper's lock recipe (Programmer's Guide, "Recipes: Locks"), as kazoo and Curator
 * implement it: each contender creates an ephemeral sequential node under the lock's
 * directory; the lowest sequence holds the lock; everyone else watches only its predecessor
 * (no herd effect) and checks again when it goes. Releasing deletes the node; a session
 * that ends deletes it too, which is why the lock needs the session to stay alive.
 */
export class ZkLockRecipe {
  constructor(
    private readonly client: ZooKeeperClient,
    private readonly dir: string,
  ) {}

  /** Queues for the lock and resolves once first; rejects with AcquireTimeoutError past `timeoutMs`. */
  async acquire(timeoutMs: number, onQueued?: (node: string) => void): Promise<HeldLock> {
    const deadline = Date.now() + timeoutMs;
    const node = await this.client.create(`${this.dir}/${PREFIX}`, null, { mode: CreateMode.EPHEMERAL_SEQUENTIAL });
    onQueued?.(node);
    const name = node.slice(this.dir.length + 1);
    for (;;) {
      const queue = (await this.client.getChildren(this.dir)).filter((c) => c.startsWith(PREFIX)).sort((a, b) => sequenceOf(a) - sequenceOf(b));
      const at = queue.indexOf(name);
      if (at < 0) throw new LockLostError(node);
      if (at === 0) return { node, sequence: sequenceOf(name) };
      const predecessor = `${this.dir}/${queue[at - 1]!}`;
      let wake!: () => void;
      const changed = new Promise<void>((resolve) => (wake = resolve));
      // The watch fires on the predecessor's deletion; a missing predecessor means look again now.
      const stat = await this.client.exists(predecessor, () => wake());
      if (stat === null) continue;
      const left = deadline - Date.now();
      if (left <= 0) throw new AcquireTimeoutError(node, timeoutMs);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([changed.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), left)))]);
      clearTimeout(timer);
      if (timedOut) throw new AcquireTimeoutError(node, timeoutMs);
    }
  }

  /** Leaves the queue (releases the lock if held). A node already gone is fine. */
  async release(node: string): Promise<void> {
    try {
      await this.client.delete(node);
    } catch (err) {
      if (!isZooKeeperError(err, ErrorCode.NONODE)) throw err;
    }
  }
}

export function sequenceOf(name: string): number {
  return Number(name.slice(name.lastIndexOf('-') + 1));
}
