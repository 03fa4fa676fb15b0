import { randomBytes } from 'node:crypto';
import { UsageError } from '../../common/errors.js';
import type { CompressionName } from '../../protocols/kafka/records/compression/compression-type.js';
import { KafkaClient } from '../clients/kafka/kafka-client.js';
import { connectString } from '../launchers/target.js';
import type { ConfiguredWorkload, RunningWorkload, WorkloadDefinition, WorkloadOptions, WorkloadStartContext } from '../registry.js';
import { WorkloadParams } from '../workload-params.js';
import { FetchFollower } from './kafka-hotpath-fetch-follower.js';
import {
  kafkaHotpathClients,
  openFastProducer,
  openKafkajsProducer,
  produceFailureType,
  type HotpathProducer,
  type HotpathProducerSettings,
  type KafkaHotpathClient,
} from './kafka-hotpath-producers.js';

const acksChoices = ['all', '1', '0'] as const;
const compressionChoices = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;

const params = [
  { name: 'record-size', description: 'value bytes per record (keyless records)', default: '100' },
  { name: 'acks', description: 'all | 1 | 0', default: 'all' },
  { name: 'batching', description: 'on: linger-ms / batch-size apply; off: one record per Produce request', default: 'on' },
  { name: 'linger-ms', description: 'kzbench client: how long a batch waits for more records', default: '5' },
  { name: 'batch-size', description: 'kzbench client: bytes at which a batch is sealed', default: '65536' },
  { name: 'max-in-flight', description: 'Produce requests in flight per connection', default: '5' },
  { name: 'records-per-op', description: 'records one op sends and waits for (kafkajs: one send() of that many)', default: '1' },
  { name: 'compression', description: compressionChoices.join(' | '), default: 'none' },
  { name: 'partitions', description: 'partitions of the topic the run creates', default: '1' },
  { name: 'topic', description: 'topic to produce to (created if missing); default: a fresh one, deleted afterwards', default: '' },
  { name: 'fetch', description: 'also fetch every record: each op completes when its records are fetched (end-to-end latency)', default: 'false' },
  { name: 'client', description: `client library: ${kafkaHotpathClients.join(' | ')}`, default: 'kzbench' },
] as const;

/**
 * `kafka-hotpath`: produce (and, with `fetch=true`, consume) fixed-size records, open loop at
 * `--rate` or closed loop flat out. An op sends `records-per-op` records and completes when the
 * broker acknowledged them (`produce`), or when a follower fetched them back (`e2e`). Judged by
 * HDR latency and throughput only: no checker.
 */
export const kafkaHotpath: WorkloadDefinition = {
  name: 'kafka-hotpath',
  system: 'kafka',
  description: 'produce (and optionally fetch) fixed-size records at a rate (open loop) or flat out (closed loop)',
  judgedBy: 'HDR latency, throughput',
  params,
  nemesis: [],
  injectBugs: [],
  defaults: { rate: null, durationSeconds: 10, warmupSeconds: 2, clients: 1, inFlight: 256 },
  configure: configureKafkaHotpath,
};

interface KafkaHotpathSettings {
  client: KafkaHotpathClient;
  producer: Omit<HotpathProducerSettings, 'topic'>;
  recordSize: number;
  recordsPerOp: number;
  partitions: number;
  topic: string | null;
  fetch: boolean;
  producers: number;
}

function configureKafkaHotpath(opts: WorkloadOptions): ConfiguredWorkload {
  const p = new WorkloadParams('kafka-hotpath', params, opts.params);
  const client = p.oneOf('client', kafkaHotpathClients);
  const acksName = p.oneOf('acks', acksChoices);
  const acks = acksName === 'all' ? -1 : (Number(acksName) as 0 | 1);
  const batching = p.oneOf('batching', ['on', 'off'] as const) === 'on';
  // One record per batch: a batch is sealed as soon as it holds anything, and nothing lingers.
  const lingerMs = batching ? p.int('linger-ms', 0, 60_000) : 0;
  const batchSize = batching ? p.int('batch-size', 1, 16 * 1024 * 1024) : 1;
  const compression = p.oneOf('compression', compressionChoices) as CompressionName;
  const fetch = p.bool('fetch');
  const recordsPerOp = p.int('records-per-op', 1, 100_000);
  const s: KafkaHotpathSettings = {
    client,
    producer: { acks, lingerMs, batchSize, maxInFlight: p.int('max-in-flight', 1, 1000), compression },
    recordSize: p.int('record-size', 0, 8 * 1024 * 1024),
    recordsPerOp,
    partitions: p.int('partitions', 1, 10_000),
    topic: p.string('topic') || null,
    fetch,
    producers: opts.clients,
  };
  if (fetch && acks === 0) throw new UsageError('KZ_PARAM_INVALID', 'kafka-hotpath: fetch=true needs acks=1 or all (acks=0 returns no offsets to wait for)');
  if (client === 'kafkajs' && !['none', 'gzip'].includes(compression)) {
    throw new UsageError('KZ_PARAM_INVALID', `kafka-hotpath: kafkajs ships only gzip; compression=${compression} needs client=kzbench`);
  }
  const batchingText =
    client === 'kafkajs'
      ? `one Produce request per send() of ${recordsPerOp} record(s) (kafkajs has no linger)`
      : batching
        ? `linger.ms=${lingerMs}, batch.size=${batchSize}`
        : 'off: one record per Produce request';
  return {
    client,
    settings: {
      recordBytes: s.recordSize,
      acks: acksName,
      batching: batchingText,
      maxInFlightRequests: s.producer.maxInFlight,
      compression,
      recordsPerOp,
      producers: opts.clients,
      partitions: s.partitions,
      fetch,
    },
    extra: { params: p.resolved() },
    checked: false,
    start: (ctx) => startKafkaHotpath(ctx, s),
  };
}

async function startKafkaHotpath(ctx: WorkloadStartContext, s: KafkaHotpathSettings): Promise<RunningWorkload> {
  const bootstrap = connectString(ctx.target);
  const admin = await KafkaClient.connect({ bootstrap, clientId: 'kzbench-hotpath' });
  const topic = s.topic ?? `kzbench-hotpath-${process.pid}-${randomBytes(4).toString('hex')}`;
  const producers: HotpathProducer[] = [];
  const producerClients: KafkaClient[] = [];
  let follower: FetchFollower | null = null;
  const closeAll = async () => {
    await follower?.stop();
    await Promise.allSettled(producers.map((p) => p.close()));
    await Promise.allSettled(producerClients.map((c) => c.close()));
  };
  try {
    const info = await admin.createTopic(topic, { partitions: s.partitions, ifNotExists: true });
    const settings: HotpathProducerSettings = { ...s.producer, topic };
    for (let i = 0; i < s.producers; i++) {
      if (s.client === 'kafkajs') producers.push(await openKafkajsProducer(bootstrap, settings));
      else {
        const c = await KafkaClient.connect({ bootstrap, clientId: `kzbench-hotpath-${i}` });
        producerClients.push(c);
        producers.push(await openFastProducer(c, settings));
      }
    }
    if (s.fetch) follower = new FetchFollower(admin, topic, info.partitions.length);
  } catch (err) {
    await closeAll();
    await admin.close();
    throw err;
  }
  const partitionCount = s.partitions;
  const value = Buffer.alloc(s.recordSize, 0x61);
  const f = s.fetch ? 'e2e' : 'produce';
  let opCounter = 0;
  let recordsAcked = 0;
  return {
    generator: () => ({ f }),
    connections: s.producers + (s.fetch ? 2 : 1),
    executor: async (_op, ctx) => {
      const producer = producers[ctx.worker % producers.length]!;
      let offsets;
      try {
        offsets = await producer.produce(value, s.recordsPerOp, opCounter++ % partitionCount);
      } catch (error) {
        return { type: produceFailureType(error), error };
      }
      recordsAcked += s.recordsPerOp;
      if (follower) {
        // Acknowledged but not (yet) read back: the write happened, the e2e op's outcome is unknown.
        try {
          await Promise.all([...offsets].map(([partition, offset]) => follower!.waitFor(partition, offset)));
        } catch (error) {
          return { type: 'info', error };
        }
      }
      return { type: 'ok', value: offsets.size === 1 ? [...offsets.values()][0] : Object.fromEntries(offsets) };
    },
    facts: () => ({
      topic,
      recordsAcked,
      bytesAcked: recordsAcked * s.recordSize,
      ...(follower ? { recordsFetched: follower.recordsFetched } : {}),
    }),
    close: async () => {
      try {
        await closeAll();
        if (s.topic === null && !ctx.disposableTarget) await admin.deleteTopic(topic).catch((err: Error) => ctx.log.warn(`could not delete topic ${topic}: ${err.message}`));
      } finally {
        await admin.close();
      }
    },
  };
}
