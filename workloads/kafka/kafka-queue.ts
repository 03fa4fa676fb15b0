import { randomBytes } from 'node:crypto';
import type { CheckResult } from '../../checkers/checker.js';
import { kafkaQueueChecker } from '../../checkers/kafka/kafka-queue-checker.js';
import type { Op } from '../../checkers/history/op.js';
import { UsageError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import { withTimeout } from '../nemesis/op-timeout.js';
import { connectString } from '../launchers/target.js';
import { recordOp } from '../nemesis/recorded-op.js';
import { nemesisParams, nemesisSettingsFrom } from '../nemesis/nemesis-params.js';
import type { ConfiguredWorkload, RunningWorkload, WorkloadDefinition, WorkloadOptions, WorkloadStartContext } from '../registry.js';
import type { OpCompletion, OpContext, OpRequest, RunSession } from '../runner/index.js';
import { seededRandom } from '../runner/seeded-random.js';
import { WorkloadParams } from '../workload-params.js';
import type { GroupClient } from './group-consumer.js';
import { warmGroupCoordinator } from './member-group-consumer.js';
import { createQueueTopic } from './queue-topic.js';
import { QueueClient } from './queue-client.js';

const params = [
  { name: 'partitions', description: 'partitions of the queue topic; each is one key of the history', default: '4' },
  { name: 'acks', description: 'producer acks: all (every in-sync replica) or 1 (the leader alone)', default: 'all' },
  { name: 'idempotent', description: 'idempotent producer (acks=all only); auto = on with acks=all', default: 'auto' },
  { name: 'producer', description: 'client that sends (non-transactional): kzbench (FastProducer) or kafkajs; transactions always use kafkajs', default: 'kzbench' },
  { name: 'txn', description: 'send in Kafka transactions (some aborted on purpose) and poll read_committed', default: 'false' },
  { name: 'isolation', description: 'txn: how polls read: read-committed, or read-uncommitted (then aborted records show: G1a, aborted reads)', default: 'read-committed' },
  { name: 'abort-ratio', description: 'txn: share of transactions aborted on purpose, in percent', default: '10' },
  { name: 'sub-via', description: 'how consumers get partitions: assign (each picks its own) or subscribe (a consumer group; the coordinator assigns, members rebalance)', default: 'assign' },
  { name: 'group-client', description: "sub-via=subscribe: the consumer group member's client: kzbench (its own classic-protocol member; runs under faults) or kafkajs (its group consumer; no faults)", default: 'kzbench' },
  { name: 'rejoin-ratio', description: 'sub-via=subscribe: share of subscribe ops, in percent, on a member already in the group that leave and rejoin it (a rebalance); the others change nothing, as in Kafka', default: '5' },
  { name: 'max-per-poll', description: 'records one poll reads per partition at most', default: '100' },
  { name: 'op-timeout', description: 'ms before an op without answer is recorded as info (crashed)', default: '10000' },
  { name: 'flush-messages', description: "topic config flush.messages: fsync the log every N messages (1 = before each write is acknowledged); broker = the broker's default (Apache's: never, the OS writes back)", default: 'broker' },
  { name: 'final-timeout', description: 'seconds the final polls (after the last heal) may take to read every partition to its end', default: '60' },
  ...nemesisParams(10),
] as const;

interface QueueSettings {
  partitions: number;
  producer: 'kzbench' | 'kafkajs';
  acks: 'all' | '1';
  idempotent: boolean;
  txn: boolean;
  readCommitted: boolean;
  abortPercent: number;
  subVia: 'assign' | 'subscribe';
  groupClient: GroupClient;
  rejoinPercent: number;
  maxPerPoll: number;
  opTimeoutMs: number;
  finalTimeoutMs: number;
  /** Topic `flush.messages`, or undefined for the broker's default. */
  flushMessages: number | undefined;
  /** The run loses unsynced writes (`--nemesis disk`). */
  diskFaults: boolean;
  seed: number;
  processes: number;
}

/**
 * `kafka-queue`: Jepsen's Kafka queue workload. Every process has a producer and a consumer
 * with manually assigned partitions; it sends unique values to random partitions (1-3 per
 * op, acknowledged with their offsets), polls its partitions, and now and then changes its
 * assignment. With `sub-via=subscribe` the consumers are members of one consumer group
 * instead: a `subscribe` op joins it (now and then leaves and rejoins, a rebalance), the
 * coordinator hands out partitions and every poll commits its offsets; the members run on
 * kzbench's own group member (GroupMember), which survives faults, or on kafkajs's. With `txn`, sends go
 * in transactions, some aborted on purpose, and polls read committed. After the last heal, a final consumer reads every partition to its end, so a
 * lost write cannot hide. The Kafka queue checker judges the history.
 */
export const kafkaQueue: WorkloadDefinition = {
  name: 'kafka-queue',
  system: 'kafka',
  description: 'Jepsen-style send/poll of unique values per partition (assign or consumer group), optionally transactional',
  judgedBy: 'Kafka queue checker (lost / duplicate / inconsistent offsets / aborted reads / cycles)',
  params,
  nemesis: ['kill', 'pause', 'partition', 'packet', 'disk', 'clock'],
  injectBugs: ['lost-ack', 'dup-append', 'skip-fsync'],
  defaults: { rate: 50, durationSeconds: 30, warmupSeconds: 0, clients: 6, inFlight: 6 },
  configure: configureKafkaQueue,
};

function configureKafkaQueue(opts: WorkloadOptions): ConfiguredWorkload {
  const p = new WorkloadParams('kafka-queue', params, opts.params);
  const acks = p.oneOf('acks', ['all', '1'] as const);
  const idempotentParam = p.oneOf('idempotent', ['auto', 'true', 'false'] as const);
  const txn = p.bool('txn');
  const idempotent = txn || (idempotentParam === 'auto' ? acks === 'all' : idempotentParam === 'true');
  if (idempotent && acks !== 'all') {
    throw new UsageError('KZ_PARAM_INVALID', `kafka-queue: an idempotent${txn ? ' (transactional)' : ''} producer needs --set acks=all`);
  }
  const nemesis = nemesisSettingsFrom(p);
  const subVia = p.oneOf('sub-via', ['assign', 'subscribe'] as const);
  const groupClient = p.oneOf('group-client', ['kzbench', 'kafkajs'] as const);
  if (subVia === 'subscribe' && groupClient === 'kafkajs' && opts.nemesis.length > 0) {
    // Seen here against a 3-node Apache Kafka with kill:one: when the broker set changes while
    // a kafkajs 2.2.4 consumer is stopping (a crashed member leaving, or kafkajs restarting
    // itself), its fetch manager restarts fetchers for a runner that no longer runs, and they
    // spin without yielding: the run hangs and ignores SIGTERM (kafkajs #1384 family).
    throw new UsageError(
      'KZ_PARAM_INVALID',
      'kafka-queue: sub-via=subscribe with group-client=kafkajs runs without --nemesis: the kafkajs 2.2.4 group consumer can hang (a busy loop) when brokers come and go while a member leaves; run faults with the default group-client=kzbench',
    );
  }
  const s: QueueSettings = {
    partitions: p.int('partitions', 1, 1000),
    producer: p.oneOf('producer', ['kzbench', 'kafkajs'] as const),
    acks,
    idempotent,
    txn,
    readCommitted: txn && p.oneOf('isolation', ['read-committed', 'read-uncommitted'] as const) === 'read-committed',
    abortPercent: p.int('abort-ratio', 0, 100),
    subVia,
    groupClient,
    rejoinPercent: p.int('rejoin-ratio', 0, 100),
    maxPerPoll: p.int('max-per-poll', 1, 100_000),
    opTimeoutMs: p.int('op-timeout', 100, 600_000),
    finalTimeoutMs: p.int('final-timeout', 1, 3600) * 1000,
    flushMessages: p.string('flush-messages') === 'broker' ? undefined : p.int('flush-messages', 1),
    diskFaults: opts.nemesis.some((f) => f.split(':')[0]!.trim() === 'disk'),
    seed: nemesis.seed,
    processes: opts.inFlight,
  };
  return {
    client: `${s.txn || s.producer === 'kafkajs' ? 'kafkajs producer' : 'kzbench producer'} + ${s.subVia === 'subscribe' ? `${s.groupClient} consumer group member` : s.txn || s.producer === 'kafkajs' ? 'kzbench fetcher' : 'fetcher'}`,
    settings: { acks: s.acks, idempotent: s.idempotent, transactions: s.txn, flushMessages: s.flushMessages ?? 'broker default', isolation: s.readCommitted ? 'read_committed' : 'read_uncommitted', subscribeVia: s.subVia, ...(s.subVia === 'subscribe' ? { groupClient: s.groupClient } : {}), processes: s.processes },
    extra: { partitions: s.partitions, params: p.resolved() },
    checked: true,
    nemesis,
    start: (ctx) => startKafkaQueue(ctx, s),
  };
}

async function startKafkaQueue(ctx: WorkloadStartContext, s: QueueSettings): Promise<RunningWorkload> {
  const bootstrap = connectString(ctx.target);
  const topic = `kzbench-queue-${process.pid}-${randomBytes(3).toString('hex')}`;
  const topicInfo = await createQueueTopic({ bootstrap, topic, partitions: s.partitions, brokers: ctx.target.nodes.length, flushMessages: s.flushMessages, log: ctx.log });
  const random = seededRandom(s.seed * 31 + 7);
  const abortRandom = seededRandom(s.seed * 17 + 3);
  let nextValue = 0;
  const rejoinRandom = seededRandom(s.seed * 13 + 5);
  let clientSeq = 0;
  let groupJoins = 0;
  const groupId = `${topic}-group`;
  if (s.subVia === 'subscribe') {
    await warmGroupCoordinator({ bootstrap, topic, groupId, timeoutMs: 60_000 });
    ctx.log.debug(`kafka-queue: the coordinator of ${groupId} is ready`);
  }
  const clients = new Map<number, QueueClient>();
  const newClient = () =>
    new QueueClient({
      bootstrap,
      topic,
      acks: s.acks,
      idempotent: s.idempotent,
      transactional: s.txn,
      readCommitted: s.readCommitted,
      maxPerPoll: s.maxPerPoll,
      clientId: `${process.pid}-${clientSeq++}`,
      producer: s.producer,
      ...(s.subVia === 'subscribe' ? { groupId, groupClient: s.groupClient, commitWaitMs: Math.min(3000, s.opTimeoutMs / 2), onGroupJoin: () => groupJoins++, groupLog: (m: string) => ctx.log.debug(`kafka-queue: ${m}`) } : {}),
    });
  const clientOf = (worker: number): QueueClient => {
    let c = clients.get(worker);
    if (!c) clients.set(worker, (c = newClient()));
    return c;
  };
  const crash = (worker: number): void => {
    const c = clients.get(worker);
    clients.delete(worker);
    void c?.close();
  };
  const allKeys = Array.from({ length: s.partitions }, (_, i) => i);
  let opened = 0;

  const generator = (): OpRequest => {
    const roll = random();
    if (roll < 0.15) {
      // One topic: a subscription always covers every partition; the group splits them.
      if (s.subVia === 'subscribe') return { f: 'subscribe', value: allKeys };
      const keys = allKeys.filter(() => random() < 0.5);
      return { f: 'assign', value: keys.length > 0 ? keys : [allKeys[Math.floor(random() * allKeys.length)]!] };
    }
    if (roll < 0.55) return { f: 'poll', value: [['poll']] };
    const n = 1 + Math.floor(random() * 3);
    const sends = Array.from({ length: n }, () => ['send', allKeys[Math.floor(random() * allKeys.length)]!, nextValue++]);
    return { f: s.txn ? 'txn' : 'send', value: sends };
  };

  const executor = async (op: OpRequest, octx: OpContext): Promise<OpCompletion> => {
    const isNew = !clients.has(octx.worker);
    const client = clientOf(octx.worker);
    if (isNew) opened++;
    octx.markSent();
    const outcome = await runQueueOp(client, op, s, {
      abort: op.f === 'txn' && abortRandom() * 100 < s.abortPercent,
      rejoin: op.f === 'subscribe' && rejoinRandom() * 100 < s.rejoinPercent,
    });
    if (outcome.type === 'info') crash(octx.worker);
    return outcome;
  };

  return {
    generator,
    executor,
    get connections() {
      return opened * 2;
    },
    finish: () => finalPolls(ctx.session, { bootstrap, topic, s, keys: allKeys, log: ctx.log }),
    check: (history) => checkQueueHistory(history, s),
    facts: () => ({
      topic,
      replicationFactor: topicInfo.replicationFactor,
      minInsyncReplicas: topicInfo.minInsyncReplicas,
      valuesSent: nextValue,
      clientsOpened: opened,
      ...(s.subVia === 'subscribe' ? { consumerGroup: groupId, groupJoins } : {}),
    }),
    close: async () => {
      await Promise.all([...clients.values()].map((c) => c.close()));
      clients.clear();
    },
  };
}

/** Runs one op; never throws (a thrown op would be recorded as info without its value). */
async function runQueueOp(client: QueueClient, op: OpRequest, s: QueueSettings, { abort, rejoin }: { abort: boolean; rejoin: boolean }): Promise<OpCompletion> {
  switch (op.f) {
    case 'subscribe': {
      // Subscribing again to the same topic changes nothing in Kafka; a rejoin is a member
      // leaving and a new one joining, which makes the group rebalance.
      if (client.subscribed && !rejoin) return { type: 'ok', value: op.value };
      try {
        await withTimeout(client.subscribe(), s.opTimeoutMs);
        return { type: 'ok', value: op.value };
      } catch (err) {
        // Whether the member joined is unknown: the client is replaced (a new process).
        return { type: 'info', value: op.value, error: describe(err) };
      }
    }
    case 'assign': {
      client.assign(op.value as number[]);
      return { type: 'ok', value: op.value };
    }
    case 'poll': {
      try {
        const polled = await withTimeout(client.poll(), s.opTimeoutMs);
        return { type: 'ok', value: [['poll', Object.fromEntries(polled)]] };
      } catch (err) {
        // A poll reads; what it commits only decides where the group's next owner starts,
        // so whatever happened, the history lost nothing.
        return { type: 'fail', value: [['poll']], error: describe(err) };
      }
    }
    default: {
      const sends = op.value as ['send', number, number][];
      const pairs = sends.map(([, k, v]) => [k, v] as [number, number]);
      try {
        const offsets = await withTimeout(op.f === 'txn' ? client.txn(pairs, abort) : client.send(pairs), s.opTimeoutMs);
        const completed = sends.map(([, k, v], i) => ['send', k, [offsets[i]!, v]]);
        // An aborted transaction definitely did not take effect, though its records have offsets.
        return abort ? { type: 'fail', value: completed, error: 'aborted on purpose' } : { type: 'ok', value: completed };
      } catch (err) {
        return { type: 'info', value: sends, error: describe(err) };
      }
    }
  }
}

/**
 * The final generator: after every fault is healed, a fresh consumer assigned every
 * partition polls until each is read to its end (high watermark, or last stable offset when
 * transactional), so every acknowledged value either shows up or is reported lost.
 */
async function finalPolls(session: RunSession, o: { bootstrap: string; topic: string; s: QueueSettings; keys: number[]; log: Logger }): Promise<void> {
  const deadline = Date.now() + o.s.finalTimeoutMs;
  let attempt = 0;
  while (Date.now() < deadline) {
    const process = `final-${attempt++}`;
    const client = new QueueClient({ bootstrap: o.bootstrap, topic: o.topic, acks: o.s.acks, idempotent: o.s.idempotent, transactional: o.s.txn, readCommitted: o.s.readCommitted, maxPerPoll: 100_000, clientId: `${globalThis.process.pid}-${process}`, producer: o.s.producer });
    try {
      await recordOp(session, process, { f: 'assign', value: o.keys }, async () => {
        client.assign(o.keys);
        return { type: 'ok', value: o.keys };
      });
      for (;;) {
        if (Date.now() > deadline) return;
        const done = await caughtUp(client, o.keys);
        if (done) return;
        const outcome = await recordOp(session, process, { f: 'poll', value: [['poll']] }, async () => {
          try {
            const polled = await withTimeout(client.poll(), o.s.opTimeoutMs);
            return { type: 'ok', value: [['poll', Object.fromEntries(polled)]] };
          } catch (err) {
            return { type: 'fail', value: [['poll']], error: describe(err) };
          }
        });
        if (outcome.type !== 'ok') break; // a new consumer (a new process) starts over
      }
    } finally {
      await client.close();
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  o.log.warn(`kafka-queue: the final polls did not reach the end of every partition within ${o.s.finalTimeoutMs / 1000} s`);
}

async function caughtUp(client: QueueClient, keys: readonly number[]): Promise<boolean> {
  for (const k of keys) {
    const end = await client.endOffset(k).catch(() => Number.POSITIVE_INFINITY);
    if ((client.position(k) ?? 0) < end) return false;
  }
  return true;
}

async function checkQueueHistory(history: readonly Op[], s: QueueSettings): Promise<CheckResult[]> {
  // The final polls assign every partition, so a subscribe run uses both ways.
  const result = await kafkaQueueChecker.check(history, 'kafka-queue', { subVia: s.subVia === 'subscribe' ? ['subscribe', 'assign'] : ['assign'] });
  if (s.acks === '1' && result.anomalyTypes.some((t) => lossTypes.has(t))) {
    // Jepsen's reading: with acks=1 the leader acknowledges before any follower has the
    // record, so a leader crash can lose acknowledged writes. Kafka documents it; say so.
    result.summary = `${result.summary} This run used acks=1: Kafka acknowledged each write once the partition leader had it, before any follower copied it, so a leader that crashed (or was cut off) took acknowledged writes with it. Kafka documents this trade-off; with acks=all and min.insync.replicas=2 acknowledged writes survive a broker crash.`;
  }
  if (s.diskFaults && s.flushMessages !== 1 && result.anomalyTypes.some((t) => lossTypes.has(t))) {
    // Jepsen's reading of Kafka and power loss: acks=all means "in every in-sync replica's
    // memory", not "on disk". Kafka chose replication over fsync; say so rather than blame it.
    result.summary = `${result.summary} This run lost unsynced writes (--nemesis disk) while the topic ${s.flushMessages === undefined ? "left fsync to the operating system (no flush.messages: Apache's default)" : `fsynced only every ${s.flushMessages} messages (flush.messages=${s.flushMessages})`}: Kafka acknowledges a write once every in-sync replica has it in memory (the page cache), not once it is on disk, so a broker that loses power loses acknowledged writes that no other replica still holds (here: every replica lost power, or there was only one). Kafka documents this trade-off and relies on replication; with --set flush-messages=1 the broker fsyncs before it acknowledges.`;
  }
  return [result];
}

/** Anomalies that mean acknowledged data went missing. */
const lossTypes = new Set(['lost-write', 'unseen', 'inconsistent-offsets']);

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

