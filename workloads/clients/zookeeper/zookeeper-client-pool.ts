import { ZooKeeperClient, type ZooKeeperClientOptions } from './zookeeper-client.js';

export interface ZooKeeperClientPoolOptions extends ZooKeeperClientOptions {
  /** Number of sessions (each on its own connection). Default 4. */
  size?: number;
}

/**
 * Several sessions, each on its own connection, to spread load: `pick()` returns the client
 * with the fewest outstanding requests (round-robin among ties). Each client keeps its own
 * session, watches and reconnect logic; a watch belongs to the client it was set through.
 */
export class ZooKeeperClientPool {
  private cursor = 0;

  private constructor(readonly clients: readonly ZooKeeperClient[]) {}

  static async connect(options: ZooKeeperClientPoolOptions): Promise<ZooKeeperClientPool> {
    const size = options.size ?? 4;
    const settled = await Promise.allSettled(Array.from({ length: size }, () => ZooKeeperClient.connect(options)));
    const clients = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failure = settled.find((s) => s.status === 'rejected');
    if (failure !== undefined) {
      await Promise.all(clients.map((c) => c.close()));
      throw failure.reason;
    }
    return new ZooKeeperClientPool(clients);
  }

  get size(): number {
    return this.clients.length;
  }

  /** The least loaded client. */
  pick(): ZooKeeperClient {
    const n = this.clients.length;
    let best = this.clients[this.cursor % n]!;
    for (let i = 1; i < n; i++) {
      const c = this.clients[(this.cursor + i) % n]!;
      if (c.outstanding < best.outstanding) best = c;
    }
    this.cursor++;
    return best;
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.close()));
  }
}
