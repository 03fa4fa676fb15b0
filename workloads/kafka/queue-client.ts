import type { Producer } from 'kafkajs';
import { FastProducer } from '../clients/kafka/fast-producer.js';
import { Fetcher, IsolationLevel } from '../clients/kafka/fetcher.js';
import { KafkaClient } from '../clients/kafka/kafka-client.js';
import { type GroupClient, type GroupConsumer, groupConsumer } from './group-consumer.js';
import { disconnectQuietly, kafkajsClient } from './kafkajs-factory.js';

/** One record of a poll: [offset, value]. */
export type PolledRecord = [number, number];

export interface QueueClientOptions {
  bootstrap: string;
  topic: string;
  /** How the producer is acknowledged: all in-sync replicas, or the leader alone. */
  acks: 'all' | '1';
  /** Idempotent producer (needs acks=all): no duplicates from the client's own retries. */
  idempotent: boolean;
  /** Sends go in Kafka transactions (a transactional id per client). */
  transactional: boolean;
  /** Polls read committed (stop at the last stable offset, skip aborted records). */
  readCommitted: boolean;
  /** Records one poll takes per partition at most. */
  maxPerPoll: number;
  /** Unique per client: names the transactional id. */
  clientId: string;
  /**
   * Which client library sends (non-transactional sends only; transactions use kafkajs):
   * `kzbench` (FastProducer: retries resend the same batch and sequence, so the broker
   * deduplicates them) or `kafkajs`.
   */
  producer: 'kzbench' | 'kafkajs';
  /** Consumer group that `subscribe` joins (subscribe mode). */
  groupId?: string;
  /** Subscribe mode: how long a poll waits for its offset commit (default 3 s). */
  commitWaitMs?: number;
  /** Called each time a group member of this client joins a generation (a rebalance it took part in). */
  onGroupJoin?: () => void;
  /** Subscribe mode: the group member's client (kzbench's GroupMember, or kafkajs's consumer). */
  groupClient?: GroupClient;
  /** Subscribe mode: diagnostics of the group protocol. */
  groupLog?: (message: string) => void;
}

/**
 * One Jepsen queue client: a kafkajs producer (the sending side, with Kafka's own retries and
 * idempotence) and a consumer, either with manual assignment on kzbench's fetcher (kafkajs
 * has no `assign`): positions per partition are the client's own, so every poll says exactly
 * which offsets it read; or, after `subscribe`, a consumer group member (GroupConsumer: kzbench's or kafkajs's) whose
 * partitions the group coordinator hands out. A client whose op ended indeterminate is closed and replaced (a new Jepsen
 * process), so its state never outlives what the history can see.
 */
export class QueueClient {
  private producer: Producer | undefined;
  private fast: { client: KafkaClient; producer: FastProducer } | undefined;
  private consumer: KafkaClient | undefined;
  private fetcher: Fetcher | undefined;
  private group: GroupConsumer | undefined;
  /** Set by close: a subscribe still under way when its op timed out must not outlive the client. */
  private closed = false;
  /** Partition → next offset to read, for the assigned partitions. */
  private readonly positions = new Map<number, number>();

  constructor(private readonly o: QueueClientOptions) {}

  get assigned(): number[] {
    return [...this.positions.keys()].sort((a, b) => a - b);
  }

  /** Replaces the assignment: kept partitions keep their position, new ones start at the beginning. */
  assign(partitions: readonly number[]): void {
    for (const p of [...this.positions.keys()]) if (!partitions.includes(p)) this.positions.delete(p);
    for (const p of partitions) if (!this.positions.has(p)) this.positions.set(p, 0);
  }

  get subscribed(): boolean {
    return this.group !== undefined;
  }

  /** Joins the consumer group as a new member (leaving it first if already a member). */
  async subscribe(): Promise<void> {
    if (this.o.groupId === undefined) throw new Error('subscribe needs a consumer group id');
    const old = this.group;
    this.group = undefined;
    await old?.close();
    const group = groupConsumer(this.o.groupClient ?? 'kzbench', {
      bootstrap: this.o.bootstrap,
      topic: this.o.topic,
      groupId: this.o.groupId,
      clientId: this.o.clientId,
      readCommitted: this.o.readCommitted,
      maxPerPoll: this.o.maxPerPoll,
      commitWaitMs: this.o.commitWaitMs ?? 3000,
      onJoin: this.o.onGroupJoin,
      log: this.o.groupLog,
    });
    try {
      await group.subscribe();
    } catch (err) {
      await group.close();
      throw err;
    }
    if (this.closed) await group.close();
    else this.group = group;
  }

  private async producerReady(): Promise<Producer> {
    if (this.producer) return this.producer;
    const kafka = kafkajsClient(this.o.bootstrap, `kzbench-queue-${this.o.clientId}`);
    const producer = this.o.transactional
      ? // A short transaction timeout: the coordinator aborts what a crashed client left open
        // soon, so read-committed consumers are not held back for a minute.
        kafka.producer({ transactionalId: `kzbench-queue-${this.o.clientId}`, idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, transactionTimeout: 10_000 })
      : kafka.producer({
          idempotent: this.o.idempotent,
          maxInFlightRequests: this.o.idempotent ? 1 : 5,
          allowAutoTopicCreation: false,
          // Without idempotence a retry can write a record twice; Jepsen's safe runs avoid
          // that, so a failed send is left indeterminate instead.
          ...(this.o.idempotent ? {} : { retry: { retries: 0 } }),
        });
    await producer.connect();
    this.producer = producer;
    return producer;
  }

  private async fastProducerReady(): Promise<FastProducer> {
    if (this.fast) return this.fast.producer;
    const client = await KafkaClient.connect({ bootstrap: this.o.bootstrap, clientId: `kzbench-queue-${this.o.clientId}`, requestTimeoutMs: 10_000 });
    try {
      const producer = await FastProducer.create(client, { acks: this.o.acks === 'all' ? -1 : 1, idempotent: this.o.idempotent, lingerMs: 0, maxInFlight: 1 });
      await producer.prepare(this.o.topic);
      this.fast = { client, producer };
      return producer;
    } catch (err) {
      await client.close().catch(() => {});
      throw err;
    }
  }

  /** Sends `[partition, value]` pairs; returns each record's offset, in order. */
  async send(pairs: readonly [number, number][]): Promise<number[]> {
    if (this.o.producer === 'kzbench' && !this.o.transactional) {
      const fast = await this.fastProducerReady();
      const acked = pairs.map(([partition, value]) => fast.sendAndWait({ topic: this.o.topic, partition, value: String(value) }));
      return (await Promise.all(acked)).map((m) => m.offset);
    }
    const producer = await this.producerReady();
    const messages = pairs.map(([partition, value]) => ({ partition, value: String(value) }));
    if (!this.o.transactional) {
      const meta = await producer.send({ topic: this.o.topic, acks: this.o.acks === 'all' ? -1 : 1, messages });
      return offsetsOf(pairs, meta);
    }
    throw new Error('a transactional client sends with txn()');
  }

  /**
   * Sends the pairs in one transaction and commits it, or aborts it when `abort` (the
   * workload aborts some on purpose, to check aborted records stay invisible).
   */
  async txn(pairs: readonly [number, number][], abort: boolean): Promise<number[]> {
    const producer = await this.producerReady();
    const txn = await producer.transaction();
    let offsets: number[];
    try {
      const meta = await txn.send({ topic: this.o.topic, acks: -1, messages: pairs.map(([partition, value]) => ({ partition, value: String(value) })) });
      offsets = offsetsOf(pairs, meta);
    } catch (err) {
      await txn.abort().catch(() => {});
      throw err;
    }
    if (abort) await txn.abort();
    else await txn.commit();
    return offsets;
  }

  /**
   * Reads each assigned partition once from its position. Partitions whose fetch fails are
   * left out (their position stays). Throws only when every fetch failed.
   */
  async poll(): Promise<Map<number, PolledRecord[]>> {
    if (this.group) return this.group.poll();
    const out = new Map<number, PolledRecord[]>();
    const assigned = this.assigned;
    if (assigned.length === 0) return out;
    if (!this.consumer) {
      this.consumer = await KafkaClient.connect({ bootstrap: this.o.bootstrap, clientId: `kzbench-queue-${this.o.clientId}`, requestTimeoutMs: 5000 });
      this.fetcher = new Fetcher(this.consumer);
    }
    const consumer = this.consumer;
    const fetcher = this.fetcher!;
    const isolationLevel = this.o.readCommitted ? IsolationLevel.readCommitted : IsolationLevel.readUncommitted;
    let lastError: unknown;
    await Promise.all(
      assigned.map(async (p) => {
        const from = this.positions.get(p)!;
        try {
          const r = await fetcher.fetch(this.o.topic, p, from, { maxWaitMs: 50, minBytes: 1, maxBytes: 256 * 1024, isolationLevel });
          const records = r.records.filter((rec) => rec.offset >= from).slice(0, this.o.maxPerPoll);
          out.set(p, records.map((rec) => [rec.offset, Number(rec.value?.toString())]));
          // Control batches (transaction markers) advance the position without records.
          const next = records.length === this.o.maxPerPoll ? records[records.length - 1]!.offset + 1 : Math.max(r.nextOffset, from);
          if (this.positions.has(p)) this.positions.set(p, next);
        } catch (err) {
          lastError = err;
          await consumer.refreshMetadata([this.o.topic]).catch(() => {});
        }
      }),
    );
    if (out.size === 0 && lastError !== undefined) throw lastError;
    return out;
  }

  /** How far partition `p` can be read: the last stable offset (read committed) or high watermark. */
  async endOffset(p: number): Promise<number> {
    if (!this.consumer) {
      this.consumer = await KafkaClient.connect({ bootstrap: this.o.bootstrap, clientId: `kzbench-queue-${this.o.clientId}`, requestTimeoutMs: 5000 });
      this.fetcher = new Fetcher(this.consumer);
    }
    const isolationLevel = this.o.readCommitted ? IsolationLevel.readCommitted : IsolationLevel.readUncommitted;
    const r = await this.fetcher!.fetch(this.o.topic, p, this.positions.get(p) ?? 0, { maxWaitMs: 0, minBytes: 0, maxBytes: 1, isolationLevel });
    return this.o.readCommitted ? r.lastStableOffset : r.highWatermark;
  }

  position(p: number): number | undefined {
    return this.positions.get(p);
  }

  async close(): Promise<void> {
    const producer = this.producer;
    const consumer = this.consumer;
    const fast = this.fast;
    const group = this.group;
    this.closed = true;
    this.group = undefined;
    this.producer = undefined;
    this.consumer = undefined;
    this.fast = undefined;
    if (producer) await disconnectQuietly(producer);
    if (group) await group.close();
    if (fast) {
      // Closing flushes: bounded, a crashed client's batches may never be answered.
      await Promise.race([fast.producer.close().catch(() => {}), new Promise((r) => setTimeout(r, 5000).unref())]);
      await fast.client.close().catch(() => {});
    }
    if (consumer) await Promise.race([consumer.close().catch(() => {}), new Promise((r) => setTimeout(r, 5000).unref())]);
  }
}

/** Offsets of the pairs from kafkajs's per-partition base offsets (records of a partition are consecutive, in order). */
function offsetsOf(pairs: readonly [number, number][], meta: { partition: number; baseOffset?: string; errorCode: number }[]): number[] {
  const next = new Map<number, number>();
  for (const m of meta) {
    if (m.errorCode !== 0 || m.baseOffset === undefined) throw new Error(`partition ${m.partition} answered error ${m.errorCode}`);
    next.set(m.partition, Number(m.baseOffset));
  }
  return pairs.map(([partition]) => {
    const offset = next.get(partition);
    if (offset === undefined) throw new Error(`no offset for partition ${partition} in the produce response`);
    next.set(partition, offset + 1);
    return offset;
  });
}
