import { KafkaConnectionError } from '../clients/kafka/client-errors.js';
import { Fetcher, IsolationLevel } from '../clients/kafka/fetcher.js';
import { type Generation, GroupMember } from '../clients/kafka/group-member.js';
import { KafkaClient } from '../clients/kafka/kafka-client.js';
import type { GroupConsumer, GroupConsumerOptions } from './group-consumer.js';
import type { PolledRecord } from './queue-client.js';

/** The positions of one generation: partition → next offset to read. */
interface GenerationPositions {
  generation: Generation;
  positions: Map<number, number>;
}

/**
 * `group-client=kzbench`: a group member on kzbench's own client (GroupMember joins,
 * heartbeats and commits; the Fetcher reads). Each poll fetches the partitions of the
 * current generation from this generation's positions (its committed offsets at first, the
 * beginning of the log when none), so nothing read under an older generation carries over
 * into a newer one, and results of a fetch that a rebalance overtook are dropped. Every
 * request is bounded, so faults cannot hang a poll or close.
 */
export class MemberGroupConsumer implements GroupConsumer {
  private client: KafkaClient | undefined;
  private fetcher: Fetcher | undefined;
  private member: GroupMember | undefined;
  private state: GenerationPositions | undefined;

  constructor(private readonly o: GroupConsumerOptions) {}

  /** Connects and starts joining; the first assignment arrives in the background. */
  async subscribe(): Promise<void> {
    const client = await KafkaClient.connect({ bootstrap: this.o.bootstrap, clientId: `kzbench-queue-${this.o.clientId}`, requestTimeoutMs: 5000, connectTimeoutMs: 5000 });
    this.client = client;
    this.fetcher = new Fetcher(client);
    this.member = new GroupMember({
      client,
      groupId: this.o.groupId,
      topic: this.o.topic,
      clientId: `kzbench-queue-${this.o.clientId}`,
      // The brokers' smallest allowed session (group.min.session.timeout.ms): after a fault
      // crashed every member, the group waits this long for them before it rebalances.
      sessionTimeoutMs: 6000,
      // Live members rejoin within a heartbeat interval; the rest are dropped after this.
      rebalanceTimeoutMs: 6000,
      heartbeatIntervalMs: 500,
      requestTimeoutMs: 5000,
      onGeneration: () => this.o.onJoin?.(),
      log: this.o.log,
    });
    this.member.start();
  }

  get subscribed(): boolean {
    return this.member !== undefined;
  }

  /** The group member (tests look at its generations). */
  get groupMember(): GroupMember | undefined {
    return this.member;
  }

  async poll(): Promise<Map<number, PolledRecord[]>> {
    const out = new Map<number, PolledRecord[]>();
    const member = this.member;
    const fetcher = this.fetcher;
    const client = this.client;
    if (!member || !fetcher || !client) return out;
    if (member.failure) throw member.failure;
    const g = member.generation;
    if (!g) return out;
    if (this.state?.generation !== g) {
      this.state = { generation: g, positions: new Map(g.partitions.map((p) => [p, g.committed.get(p) ?? 0])) };
    }
    const positions = this.state.positions;
    const isolationLevel = this.o.readCommitted ? IsolationLevel.readCommitted : IsolationLevel.readUncommitted;
    const advanced = new Map<number, number>();
    let failed = 0;
    let lastError: unknown;
    await Promise.all(
      g.partitions.map(async (p) => {
        const from = positions.get(p)!;
        try {
          const r = await fetcher.fetch(this.o.topic, p, from, { maxWaitMs: 50, minBytes: 1, maxBytes: 256 * 1024, isolationLevel });
          const records = r.records.filter((rec) => rec.offset >= from).slice(0, this.o.maxPerPoll);
          if (records.length > 0) out.set(p, records.map((rec) => [rec.offset, Number(rec.value?.toString())]));
          // Control batches (transaction markers) advance the position without records.
          const next = records.length === this.o.maxPerPoll ? records[records.length - 1]!.offset + 1 : Math.max(r.nextOffset, from);
          if (next > from) advanced.set(p, next);
        } catch (err) {
          failed++;
          lastError = err;
          await client.refreshMetadata([this.o.topic]).catch(() => {});
        }
      }),
    );
    // A rebalance overtook the fetches: what they read belongs to no generation of this member.
    if (member.generation !== g) return new Map();
    if (failed > 0 && failed === g.partitions.length) throw lastError;
    for (const [p, next] of advanced) positions.set(p, next);
    // Commits are fenced by generation and member id: a failed one (the group moved on, the
    // coordinator is away) leaves these records to the partition's next owner, and the
    // member rejoins when the coordinator said so.
    await member.commit(g, advanced, this.o.commitWaitMs).catch((err: unknown) => {
      if (!(err instanceof KafkaConnectionError)) this.o.log?.(`commit failed: ${(err as Error).message}`);
    });
    return out;
  }

  async close(): Promise<void> {
    const member = this.member;
    const client = this.client;
    this.member = undefined;
    this.client = undefined;
    this.fetcher = undefined;
    this.state = undefined;
    await member?.close();
    await client?.close();
  }
}

/**
 * Joins `groupId` once and leaves, before a run: the first FindCoordinator of a cluster
 * creates `__consumer_offsets`, and its coordinators take seconds to load (NOT_COORDINATOR,
 * COORDINATOR_LOAD_IN_PROGRESS meanwhile), which a short faulted run must not spend on.
 */
export async function warmGroupCoordinator(o: { bootstrap: string; topic: string; groupId: string; timeoutMs: number }): Promise<void> {
  const client = await KafkaClient.connect({ bootstrap: o.bootstrap, clientId: 'kzbench-queue-warmup', requestTimeoutMs: 5000, connectTimeoutMs: 5000 });
  const member = new GroupMember({ client, groupId: o.groupId, topic: o.topic, clientId: 'kzbench-queue-warmup', sessionTimeoutMs: 6000, rebalanceTimeoutMs: 6000 });
  try {
    member.start();
    await member.joined(o.timeoutMs);
  } finally {
    await member.close();
    await client.close();
  }
}
