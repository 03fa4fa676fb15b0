import type { Consumer } from 'kafkajs';
import { disconnectQuietly, kafkajsClient } from './kafkajs-factory.js';
import type { GroupConsumer, GroupConsumerOptions } from './group-consumer.js';
import type { PolledRecord } from './queue-client.js';

/** Records fetched for one partition in one group generation, not yet handed to a poll. */
interface Pending {
  epoch: number;
  records: PolledRecord[];
}

/**
 * A consumer group member with Jepsen's `poll` shape, on kafkajs's group client (kafkajs
 * joins, heartbeats, follows rebalances and fetches). `group-client=kafkajs`: kafkajs 2.2.4
 * can hang when brokers come and go, so kafka-queue runs it without faults.
 * kafkajs pushes batches; they wait in a buffer, as in the Java consumer's fetch buffer,
 * until a `poll` takes them and commits their offsets. A rebalance drops what no poll took:
 * kafkajs then fetches again from the committed offsets, so those records come back to
 * whichever member owns the partition, and nothing stale is mixed into a later poll.
 */
export class KafkajsGroupConsumer implements GroupConsumer {
  private consumer: Consumer | undefined;
  /** Partition → records waiting for a poll. */
  private readonly pending = new Map<number, Pending>();
  /** Counts group generations seen by this member (joins and rebalances). */
  private epoch = 0;
  private assignment = new Set<number>();

  constructor(private readonly o: GroupConsumerOptions) {}

  /** Joins the group (kafkajs joins in the background; polls before the join read nothing). */
  async subscribe(): Promise<void> {
    const kafka = kafkajsClient(this.o.bootstrap, `kzbench-queue-${this.o.clientId}`);
    const consumer = kafka.consumer({
      groupId: this.o.groupId,
      // Short timeouts: a member that crashed is replaced within seconds, and a short fetch
      // wait lets heartbeats (and so rebalances) through between fetches.
      sessionTimeout: 10_000,
      rebalanceTimeout: 10_000,
      heartbeatInterval: 500,
      maxWaitTimeInMs: 100,
      readUncommitted: !this.o.readCommitted,
      allowAutoTopicCreation: false,
      retry: { retries: 12, initialRetryTime: 200, maxRetryTime: 3000 },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.REBALANCING, () => this.newGeneration(new Set()));
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      this.o.onJoin?.();
      this.newGeneration(new Set(e.payload.memberAssignment[this.o.topic] ?? []));
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: this.o.topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const records = batch.messages.map((m) => [Number(m.offset), Number(m.value?.toString())] as PolledRecord);
          if (records.length > 0) this.buffer(batch.partition, records);
        },
      });
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  get subscribed(): boolean {
    return this.consumer !== undefined;
  }

  /**
   * Takes what the group handed this member since the last poll (up to `maxPerPoll` records
   * per partition), then commits their offsets, for the partitions this member still owns.
   * A commit that fails or does not answer in time (the group moved on, the coordinator is
   * down) leaves the records to be read again by the next
   * owner: what the checker allows in subscribe mode.
   */
  async poll(): Promise<Map<number, PolledRecord[]>> {
    const out = new Map<number, PolledRecord[]>();
    const epoch = this.epoch;
    for (const [partition, p] of this.pending) {
      const taken = p.records.splice(0, this.o.maxPerPoll);
      if (taken.length > 0) out.set(partition, taken);
      if (p.records.length === 0) this.pending.delete(partition);
    }
    const commits = [...out]
      .filter(([partition]) => this.assignment.has(partition))
      .map(([partition, records]) => ({ topic: this.o.topic, partition, offset: String(records[records.length - 1]![0] + 1) }));
    if (commits.length > 0 && this.consumer && this.epoch === epoch) {
      // Bounded: kafkajs retries a commit while the coordinator is down, and a poll that ran
      // into the op timeout would be recorded without the records it took.
      const commit = this.consumer.commitOffsets(commits).catch(() => {});
      await Promise.race([commit, new Promise((r) => setTimeout(r, this.o.commitWaitMs).unref())]);
    }
    return out;
  }

  async close(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    this.pending.clear();
    // Disconnecting leaves the group, so the others rebalance at once.
    if (consumer) await disconnectQuietly(consumer, 10_000);
  }

  private newGeneration(assignment: Set<number>): void {
    this.epoch++;
    this.assignment = assignment;
    this.pending.clear();
  }

  /**
   * Appends a fetched batch. A batch that does not continue the buffered records of its
   * partition (it starts at or before their end: a refetch) replaces them, so one poll never
   * reads a partition backwards.
   */
  private buffer(partition: number, records: PolledRecord[]): void {
    const p = this.pending.get(partition);
    if (!p || p.epoch !== this.epoch) {
      this.pending.set(partition, { epoch: this.epoch, records });
      return;
    }
    const last = p.records[p.records.length - 1];
    if (last !== undefined && records[0]![0] <= last[0]) p.records = records;
    else p.records.push(...records);
  }
}
