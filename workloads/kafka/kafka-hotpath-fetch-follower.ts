import { Fetcher } from '../clients/kafka/fetcher.js';
import type { KafkaClient } from '../clients/kafka/kafka-client.js';

interface Waiter {
  offset: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

interface PartitionFollow {
  /** Every offset below this has been fetched. */
  fetchedUpTo: number;
  waiters: Waiter[];
}

/**
 * Reads a topic from the start, partition by partition, with long polls, and tells waiters
 * when the offset they wait for has been fetched: the consumer side of end-to-end latency
 * (produce → fetch). The fetcher has its own connection, so long polls never delay produces.
 */
export class FetchFollower {
  private readonly fetcher: Fetcher;
  private readonly partitions: PartitionFollow[];
  private readonly loops: Promise<void>[];
  private stopped = false;
  private failure: Error | null = null;
  /** Records fetched so far, all partitions. */
  recordsFetched = 0;

  constructor(client: KafkaClient, topic: string, partitionCount: number, private readonly maxWaitMs = 100) {
    this.fetcher = new Fetcher(client);
    this.partitions = Array.from({ length: partitionCount }, () => ({ fetchedUpTo: 0, waiters: [] }));
    this.loops = this.partitions.map((_, p) => this.follow(topic, p));
  }

  /** Resolves once `offset` of `partition` has been fetched; rejects if following failed. */
  waitFor(partition: number, offset: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const follow = this.partitions[partition];
    if (!follow) return Promise.reject(new Error(`no partition ${partition} followed`));
    if (offset < follow.fetchedUpTo) return Promise.resolve();
    return new Promise((resolve, reject) => follow.waiters.push({ offset, resolve, reject }));
  }

  /** Stops after the current long poll (at most `maxWaitMs`). */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
    const stopped = new Error('the fetch follower stopped before this offset was fetched');
    for (const f of this.partitions) for (const w of f.waiters.splice(0)) w.reject(stopped);
  }

  private async follow(topic: string, partition: number): Promise<void> {
    const follow = this.partitions[partition]!;
    while (!this.stopped) {
      try {
        const r = await this.fetcher.fetch(topic, partition, follow.fetchedUpTo, { maxWaitMs: this.maxWaitMs, minBytes: 1 });
        this.recordsFetched += r.records.length;
        follow.fetchedUpTo = r.nextOffset;
      } catch (err) {
        // Waiters would hang otherwise; the executor reports their ops as indeterminate.
        const failure = err instanceof Error ? err : new Error(String(err));
        this.failure = failure;
        this.stopped = true;
        for (const f of this.partitions) for (const w of f.waiters.splice(0)) w.reject(failure);
        return;
      }
      if (follow.waiters.length > 0) {
        const still: Waiter[] = [];
        for (const w of follow.waiters) (w.offset < follow.fetchedUpTo ? w.resolve() : still.push(w));
        follow.waiters = still;
      }
    }
  }
}
