import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaApis } from '../../../../protocols/kafka/api-catalog.js';
import { LocalCluster } from '../../../../workloads/launchers/local-cluster.js';
import { FastProducer, type BatchReport } from '../../../../workloads/clients/kafka/fast-producer.js';
import { Fetcher, IsolationLevel, type FetchedRecord } from '../../../../workloads/clients/kafka/fetcher.js';
import { KafkaClient } from '../../../../workloads/clients/kafka/kafka-client.js';
import { partitionForKey } from '../../../../workloads/clients/kafka/partitioner.js';
import { runFetchLoad } from '../../../../workloads/clients/kafka/fetch-driver.js';
import { runProduceLoad } from '../../../../workloads/clients/kafka/produce-driver.js';
import { findOnPath } from '../../../../workloads/launchers/prerequisites.js';
import { startKafkaBroker } from '../../../../servers/kafka/kafka-broker.js';
import { startTestBroker } from '../../servers/kafka/broker-fixture.js';
import { cachedApache } from '../../launchers/cached-apache.js';

const run = promisify(execFile);
const APACHE_VERSION = '3.9.2';
const apache = await cachedApache('kafka', APACHE_VERSION);
if (!apache.dist) console.warn(`fast Kafka client: skipping the Apache ${APACHE_VERSION} target: ${apache.reason}`);
const kcat = findOnPath('kcat');

interface Target {
  bootstrap: string;
  stop(): Promise<void>;
}

const targets: Array<{ name: string; skip: boolean; start: () => Promise<Target> }> = [
  {
    name: 'the reference broker',
    skip: false,
    start: async () => {
      const b = await startTestBroker();
      return { bootstrap: b.bootstrap, stop: () => b.stop() };
    },
  },
  {
    name: `Apache Kafka ${APACHE_VERSION}`,
    skip: !apache.dist,
    start: async () => {
      const dir = await mkdtemp(join(tmpdir(), 'kz-fast-client-'));
      const cluster = await LocalCluster.start({ system: 'kafka', impl: 'apache', version: APACHE_VERSION, nodes: 1, dir });
      return {
        bootstrap: cluster.connectString,
        stop: async () => {
          await cluster.stop();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  },
];

const text = (b: Buffer | null) => (b === null ? null : b.toString());

for (const target of targets) {
  describe.skipIf(target.skip)(`fast Kafka client against ${target.name}`, () => {
    let t: Target;
    let client: KafkaClient;
    beforeAll(async () => {
      t = await target.start();
      client = await KafkaClient.connect({ bootstrap: t.bootstrap, clientId: 'kz-fast-client-test' });
    });
    afterAll(async () => {
      await client?.close();
      await t?.stop();
    });

    it('negotiates API versions and creates a topic whose partitions all have leaders', async () => {
      const conn = await client.anyConnection();
      expect(conn.versionFor(KafkaApis.Produce)).toBeGreaterThanOrEqual(3);
      expect(conn.versionFor(KafkaApis.Metadata, 12)).toBeGreaterThanOrEqual(1);
      const topic = await client.createTopic('fc-create', { partitions: 3 });
      expect(topic.partitions.map((p) => p.partition)).toEqual([0, 1, 2]);
      await expect(client.createTopic('fc-create', { partitions: 3 })).rejects.toMatchObject({ errorName: 'TOPIC_ALREADY_EXISTS' });
      await client.createTopic('fc-create', { partitions: 3, ifNotExists: true });
    });

    it('produces keyed records in batches (acks=all) to the murmur2 partition, and fetches them back with offsets', async () => {
      await client.createTopic('fc-keys', { partitions: 3 });
      const reports: BatchReport[] = [];
      const producer = await FastProducer.create(client, { acks: -1, lingerMs: 2, batchSize: 4096, maxInFlight: 3, onBatch: (r) => reports.push(r) });
      await producer.prepare('fc-keys');
      const sent: Array<Promise<{ partition: number; offset: number }>> = [];
      for (let i = 0; i < 600; i++) {
        sent.push(producer.sendAndWait({ topic: 'fc-keys', key: `key-${i % 50}`, value: `value-${i}`, headers: [{ key: 'i', value: String(i) }] }));
      }
      const metas = await Promise.all(sent);
      await producer.close();
      metas.forEach((m, i) => expect(m.partition).toBe(partitionForKey(Buffer.from(`key-${i % 50}`), 3)));
      expect(reports.length).toBeGreaterThan(3);
      expect(reports.every((r) => r.error === null && r.records > 0)).toBe(true);
      expect(reports.reduce((n, r) => n + r.records, 0)).toBe(600);

      const fetcher = new Fetcher(client);
      const got: FetchedRecord[] = [];
      for (let p = 0; p < 3; p++) {
        const count = metas.filter((m) => m.partition === p).length;
        await fetcher.consume('fc-keys', p, 0, { count, maxWaitMs: 100, onRecords: (r) => got.push(...r) });
      }
      expect(got).toHaveLength(600);
      for (const r of got) {
        const i = Number(text(r.headers[0]!.value));
        expect(text(r.value)).toBe(`value-${i}`);
        expect(text(r.key)).toBe(`key-${i % 50}`);
        expect({ partition: r.partition, offset: r.offset }).toEqual({ partition: metas[i]!.partition, offset: metas[i]!.offset });
      }
    });

    it('drives a bounded load through the driver with every compression codec; kcat (librdkafka) reads it back', async () => {
      for (const compression of ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const) {
        const topic = `fc-load-${compression}`;
        const result = await runProduceLoad({ bootstrap: t.bootstrap, topic, createPartitions: 2, records: 3000, recordSize: 100, keySize: 8, compression, lingerMs: 1, batchSize: 16 * 1024 });
        expect(result.failedBatches).toBe(0);
        expect(result.records).toBe(3000);
        expect(result.batches).toBeGreaterThan(1);
        if (kcat) {
          // An independent decoder: librdkafka knows all four codecs.
          const { stdout } = await run('kcat', ['-b', t.bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%S %K\n'], { timeout: 60_000, maxBuffer: 16 << 20 });
          const lines = stdout.trim().split('\n');
          expect(lines).toHaveLength(3000);
          expect(lines.every((l) => l.startsWith('100 '))).toBe(true);
        } else {
          const fetcher = new Fetcher(client);
          let seen = 0;
          for (const p of [0, 1]) {
            const hw = (await fetcher.fetch(topic, p, 0, { maxWaitMs: 10 })).highWatermark;
            seen += (await fetcher.consume(topic, p, 0, { untilOffset: hw, maxWaitMs: 10 })).records;
          }
          expect(seen).toBe(3000);
        }
      }
    });

    it('the fetch driver reads back everything the produce driver wrote, over all partitions', async () => {
      const produced = await runProduceLoad({ bootstrap: t.bootstrap, topic: 'fc-drivers', createPartitions: 3, records: 4000, recordSize: 100, keySize: 8, lingerMs: 1 });
      expect(produced.failedBatches).toBe(0);
      const fetched = await runFetchLoad({ bootstrap: t.bootstrap, topic: 'fc-drivers', records: 4000, maxWaitMs: 50 });
      expect(fetched.records).toBe(4000);
      expect(fetched.bytes).toBe(produced.bytes);
    });

    it('acks=0 sends without responses; every record still arrives', async () => {
      await client.createTopic('fc-acks0', { partitions: 1 });
      const result = await runProduceLoad({ bootstrap: t.bootstrap, topic: 'fc-acks0', records: 2000, recordSize: 50, acks: 0, lingerMs: 1, batchSize: 8192 });
      expect(result.failedBatches).toBe(0);
      const fetcher = new Fetcher(client);
      const r = await fetcher.consume('fc-acks0', 0, 0, { count: 2000, maxWaitMs: 200, timeoutMs: 30_000 });
      expect(r.records).toBe(2000);
    });

    it('idempotent producer: InitProducerId, then sequenced batches are accepted', async (ctx) => {
      if (!(await client.anyConnection()).brokerVersions.has(KafkaApis.InitProducerId.key)) ctx.skip('the broker does not offer InitProducerId yet');
      await client.createTopic('fc-idem', { partitions: 2 });
      const result = await runProduceLoad({ bootstrap: t.bootstrap, topic: 'fc-idem', records: 5000, recordSize: 64, idempotent: true, maxInFlight: 5, lingerMs: 1, batchSize: 4096 });
      expect(result.failedBatches).toBe(0);
      expect(result.batches).toBeGreaterThan(5);
    });

    it('read_committed drops the records of an aborted kafkajs transaction; read_uncommitted sees them', async (ctx) => {
      if (!(await client.anyConnection()).brokerVersions.has(KafkaApis.EndTxn.key)) ctx.skip('the broker does not offer transactions yet');
      await client.createTopic('fc-txn', { partitions: 1 });
      const kafka = new Kafka({ clientId: 'kz-txn', brokers: [t.bootstrap], logLevel: logLevel.NOTHING });
      const producer = kafka.producer({ transactionalId: `fc-txn-${target.name.length}`, idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      const aborted = await producer.transaction();
      await aborted.send({ topic: 'fc-txn', messages: [{ value: 'aborted-1' }, { value: 'aborted-2' }] });
      await aborted.abort();
      const committed = await producer.transaction();
      await committed.send({ topic: 'fc-txn', compression: CompressionTypes.GZIP, messages: [{ value: 'committed-1' }] });
      await committed.commit();
      await producer.disconnect();

      const fetcher = new Fetcher(client);
      const readAll = async (isolationLevel: 0 | 1) => {
        // The coordinator writes the COMMIT marker after EndTxn returns: wait until no transaction is open (LSO = HW).
        let hw = -1;
        for (let i = 0; i < 300 && hw < 0; i++) {
          const r = await fetcher.fetch('fc-txn', 0, 0, { maxWaitMs: 10, isolationLevel });
          if (r.lastStableOffset === r.highWatermark) hw = r.highWatermark;
          else await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect(hw).toBe(5); // aborted-1, aborted-2, ABORT marker, committed-1, COMMIT marker
        const values: string[] = [];
        await fetcher.consume('fc-txn', 0, 0, { untilOffset: hw, maxWaitMs: 10, isolationLevel, onRecords: (rs) => values.push(...rs.map((r) => text(r.value)!)) });
        return values;
      };
      expect(await readAll(IsolationLevel.readCommitted)).toEqual(['committed-1']);
      expect(await readAll(IsolationLevel.readUncommitted)).toEqual(['aborted-1', 'aborted-2', 'committed-1']);
    });

    it.skipIf(!kcat)('kcat (librdkafka) reads what the fast producer wrote', async () => {
      await client.createTopic('fc-kcat', { partitions: 1 });
      const producer = await FastProducer.create(client, { acks: 1, compression: 'lz4' });
      await producer.prepare('fc-kcat');
      for (let i = 0; i < 20; i++) producer.send({ topic: 'fc-kcat', key: `k${i}`, value: `v${i}` });
      await producer.close();
      const { stdout } = await run('kcat', ['-b', t.bootstrap, '-C', '-t', 'fc-kcat', '-o', 'beginning', '-e', '-q', '-f', '%k=%s@%o\n'], { timeout: 60_000 });
      expect(stdout.trim().split('\n')).toEqual(Array.from({ length: 20 }, (_, i) => `k${i}=v${i}@${i}`));
    });
  });
}

describe('fast Kafka client against an older broker (the reference broker with --as-version 2.8)', () => {
  let logDir: string;
  let broker: Awaited<ReturnType<typeof startKafkaBroker>>;
  beforeAll(async () => {
    logDir = await mkdtemp(join(tmpdir(), 'kz-fast-client-28-'));
    broker = await startKafkaBroker({ port: 0, logDir, asVersion: '2.8', properties: { 'group.initial.rebalance.delay.ms': '0' } });
  });
  afterAll(async () => {
    await broker?.close();
    await rm(logDir, { recursive: true, force: true });
  });

  it('downgrades ApiVersions after the UNSUPPORTED_VERSION answer (KIP-511) and uses 2.8-era versions', async () => {
    const client = await KafkaClient.connect({ bootstrap: broker.bootstrap });
    try {
      const conn = await client.anyConnection();
      expect(conn.brokerVersions.get(KafkaApis.ApiVersions.key)?.max).toBe(3);
      expect(conn.versionFor(KafkaApis.Produce)).toBeLessThanOrEqual(9);
      expect(conn.versionFor(KafkaApis.Fetch)).toBeLessThanOrEqual(12);
      await client.createTopic('old-broker', { partitions: 1 });
      const result = await runProduceLoad({ bootstrap: broker.bootstrap, topic: 'old-broker', records: 500, recordSize: 20 });
      expect(result.failedBatches).toBe(0);
      const r = await new Fetcher(client).consume('old-broker', 0, 0, { count: 500, maxWaitMs: 50 });
      expect(r.records).toBe(500);
    } finally {
      await client.close();
    }
  });
});

describe('fast producer when its broker goes away', () => {
  it('reports the unsent batches as failed instead of hanging in flush()', async () => {
    const broker = await startTestBroker();
    const client = await KafkaClient.connect({ bootstrap: broker.bootstrap, requestTimeoutMs: 5000 });
    try {
      await client.createTopic('gone', { partitions: 1 });
      const reports: BatchReport[] = [];
      const producer = await FastProducer.create(client, { acks: 1, lingerMs: 1, onBatch: (r) => reports.push(r) });
      await producer.prepare('gone');
      producer.send({ topic: 'gone', value: 'before' });
      await producer.flush();
      expect(reports.map((r) => r.error)).toEqual([null]);
      await broker.stop();
      for (let i = 0; i < 10; i++) producer.send({ topic: 'gone', value: `after-${i}` });
      await producer.flush();
      const after = reports.slice(1);
      expect(after.length).toBeGreaterThan(0);
      expect(after.every((r) => r.error !== null && r.baseOffset === -1)).toBe(true);
      expect(after.reduce((n, r) => n + r.records, 0)).toBe(10);
    } finally {
      await client.close();
      await broker.stop().catch(() => {});
    }
  });
});
