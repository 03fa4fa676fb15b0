import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts } from '../../../../common/ports.js';
import { OpCode } from '../../../../protocols/zookeeper/index.js';
import { findOnPath } from '../../../../workloads/launchers/prerequisites.js';
import { KafkaZkBroker, cachedKafka39 } from './support/kafka-zk-broker.js';
import { RawZkClient } from './support/raw-zk-client.js';
import { startTestServer, type TestServer } from './support/reference-server.js';

const kafka39 = cachedKafka39();
const missing = !findOnPath('java') ? 'java is not installed' : kafka39 === null ? 'run `node dist/cli/main.js apache fetch --kafka 3.9.2`' : null;
if (missing) console.warn(`skipping Kafka on the reference ZooKeeper: ${missing}`);

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Apache Kafka 3.9 in ZooKeeper mode, three brokers, with the reference server as its
 * ZooKeeper: registration, controller election, topic lifecycle and failover all run through
 * our znodes, watches, ephemerals, multis and session expiry.
 */
describe.skipIf(missing !== null)('Kafka 3.9 (ZooKeeper mode) on the reference ZooKeeper', () => {
  let zk: TestServer;
  let dir: string;
  let brokers: KafkaZkBroker[] = [];
  let zkClient: RawZkClient;
  let ports: number[];

  const children = async (p: string) => {
    const r = await zkClient.request(OpCode.getChildren, { path: p, watch: false });
    return r.header.err === 0 ? [...(r.body as { children: string[] }).children].sort() : null;
  };
  const data = async (p: string) => {
    const r = await zkClient.request(OpCode.getData, { path: p, watch: false });
    return r.header.err === 0 ? (r.body as { data: Buffer }).data.toString() : null;
  };

  beforeAll(async () => {
    zk = await startTestServer({ tickTime: 1000 });
    dir = mkdtempSync(path.join(tmpdir(), 'kz-kafka-zk-'));
    ports = await freePorts(3);
    brokers = ports.map((port, i) => new KafkaZkBroker(i + 1, port, path.join(dir, `b${i + 1}`), kafka39!.dir, zk.connectString));
    for (const b of brokers) b.start();
    zkClient = await RawZkClient.connect(zk.host, zk.port);
    await until('three brokers registered', async () => ((await children('/brokers/ids'))?.length === 3 ? true : undefined), 180_000);
    await until('three brokers started', () => (brokers.every((b) => b.started) ? true : undefined), 180_000);
  }, 240_000);

  afterAll(async () => {
    for (const b of brokers) await b.kill9();
    zkClient?.destroy();
    await zk?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('registers brokers and elects a controller through znodes', async () => {
    expect(await children('/brokers/ids')).toEqual(['1', '2', '3']);
    const registration = JSON.parse((await data('/brokers/ids/1'))!) as { endpoints: string[] };
    expect(registration.endpoints).toEqual([`PLAINTEXT://127.0.0.1:${ports[0]}`]);
    const controller = JSON.parse((await until('a controller', () => data('/controller').then((d) => d ?? undefined)))) as { brokerid: number };
    expect([1, 2, 3]).toContain(controller.brokerid);
    expect(Number(await data('/controller_epoch'))).toBeGreaterThanOrEqual(1);
    const owner = await zkClient.request(OpCode.exists, { path: '/controller', watch: false });
    expect((owner.body as { stat: { ephemeralOwner: bigint } }).stat.ephemeralOwner).not.toBe(0n);
  });

  it('creates, describes, uses and deletes a topic, and moves leadership when a broker dies', async () => {
    const kafka = new Kafka({ clientId: 'kz-test', brokers: ports.map((p) => `127.0.0.1:${p}`), logLevel: logLevel.NOTHING, requestTimeout: 60_000, retry: { retries: 8 } });
    const admin = kafka.admin();
    await admin.connect();
    // Idempotent: a send retried after a slow ISR (REQUEST_TIMED_OUT, NOT_ENOUGH_REPLICAS_AFTER_APPEND
    // on a loaded machine) must not store its batch twice, or the offset count below is off.
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    try {
      const created = await admin.createTopics({ topics: [{ topic: 'kz-topic', numPartitions: 3, replicationFactor: 3 }], waitForLeaders: true, timeout: 60_000 }).catch((err: { errors?: unknown[] }) => {
        throw new Error(`createTopics failed: ${JSON.stringify(err.errors ?? err)}`);
      });
      expect(created).toBe(true);
      expect(await children('/brokers/topics')).toContain('kz-topic');
      const meta = await admin.fetchTopicMetadata({ topics: ['kz-topic'] });
      const partitions = meta.topics[0]!.partitions;
      expect(partitions).toHaveLength(3);
      for (const p of partitions) expect([...p.replicas].sort()).toEqual([1, 2, 3]);
      const state = JSON.parse((await data('/brokers/topics/kz-topic/partitions/0/state'))!) as { leader: number; isr: number[] };
      expect(state.leader).toBe(partitions.find((p) => p.partitionId === 0)!.leader);

      await producer.connect();
      await producer.send({ topic: 'kz-topic', acks: -1, messages: Array.from({ length: 30 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })) });
      const offsets = await admin.fetchTopicOffsets('kz-topic');
      expect(offsets.reduce((sum, o) => sum + Number(o.high), 0)).toBe(30);

      // Kill the leader of partition 0; its session expires and the controller elects another.
      const oldLeader = state.leader;
      await brokers[oldLeader - 1]!.kill9();
      const newLeader = await until('a new leader for partition 0', async () => {
        const s = JSON.parse((await data('/brokers/topics/kz-topic/partitions/0/state'))!) as { leader: number };
        return s.leader !== oldLeader && s.leader !== -1 ? s.leader : undefined;
      });
      expect(newLeader).not.toBe(oldLeader);
      expect(await until('the dead broker to leave /brokers/ids', async () => {
        const ids = await children('/brokers/ids');
        return ids !== null && !ids.includes(String(oldLeader)) ? ids : undefined;
      })).toHaveLength(2);
      await until('metadata with the new leader', async () => {
        const m = await admin.fetchTopicMetadata({ topics: ['kz-topic'] });
        const p0 = m.topics[0]!.partitions.find((p) => p.partitionId === 0)!;
        return p0.leader === newLeader ? true : undefined;
      });
      await producer.send({ topic: 'kz-topic', acks: -1, messages: [{ key: 'after', value: 'failover' }] });

      // Kafka only finishes deleting a topic once every replica is online: bring the broker back.
      brokers[oldLeader - 1]!.start();
      await until('the broker to register again', async () => ((await children('/brokers/ids'))?.length === 3 ? true : undefined), 180_000);
      await until('the broker to start again', () => (brokers[oldLeader - 1]!.started ? true : undefined), 180_000);
      await admin.deleteTopics({ topics: ['kz-topic'], timeout: 30_000 });
      await until('the topic to disappear from ZooKeeper', async () => ((await children('/brokers/topics'))?.includes('kz-topic') === false ? true : undefined));
      expect(await admin.listTopics()).not.toContain('kz-topic');
    } finally {
      await producer.disconnect().catch(() => {});
      await admin.disconnect().catch(() => {});
    }
  }, 240_000);
});
