import { type Consumer, Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestBroker, startTestBroker, waitFor } from './broker-fixture.js';

/** kafkajs's member assignment: version, [topic, [partition]], user data. */
function decodeAssignment(buf: Buffer): Map<string, number[]> {
  const out = new Map<string, number[]>();
  if (buf.length === 0) return out;
  let p = 2;
  const topics = buf.readInt32BE(p);
  p += 4;
  for (let i = 0; i < topics; i++) {
    const len = buf.readInt16BE(p);
    p += 2;
    const topic = buf.toString('utf8', p, p + len);
    p += len;
    const n = buf.readInt32BE(p);
    p += 4;
    const parts: number[] = [];
    for (let j = 0; j < n; j++, p += 4) parts.push(buf.readInt32BE(p));
    out.set(topic, parts);
  }
  return out;
}

describe('kafkajs consumer groups against the reference broker', () => {
  let broker: TestBroker;
  const kafka = () => new Kafka({ clientId: 'kz-groups', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 10, initialRetryTime: 50 } });
  const consumers: Consumer[] = [];
  beforeAll(async () => {
    broker = await startTestBroker({ 'offsets.topic.num.partitions': '5' });
  });
  afterAll(async () => {
    for (const c of consumers) await c.disconnect().catch(() => {});
    await broker?.stop();
  });

  async function produce(topic: string, from: number, count: number, partitions: number): Promise<void> {
    const producer = kafka().producer({ idempotent: true });
    await producer.connect();
    for (let p = 0; p < partitions; p++) {
      await producer.send({ topic, acks: -1, messages: Array.from({ length: count }, (_, i) => ({ partition: p, value: `p${p}-${from + i}` })) });
    }
    await producer.disconnect();
  }

  it('members join and leave, partitions are rebalanced disjointly, every message is consumed and offsets are committed', async () => {
    const topic = 'groups-rebalance';
    const admin = kafka().admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 6 }] });
    await produce(topic, 0, 50, 6);

    const seen = new Map<string, Set<string>>();
    const start = async (name: string) => {
      const c = kafka().consumer({ groupId: 'kz-rebalance', sessionTimeout: 10_000, heartbeatInterval: 500, retry: { retries: 10 } });
      consumers.push(c);
      seen.set(name, new Set());
      await c.connect();
      await c.subscribe({ topic, fromBeginning: true });
      await c.run({ autoCommitInterval: 200, eachMessage: async ({ message }) => void seen.get(name)!.add(message.value!.toString()) });
      return c;
    };
    const all = () => new Set([...seen.values()].flatMap((s) => [...s]));
    const stableWith = (members: number) =>
      waitFor(`a stable group of ${members}`, async () => {
        const { groups } = await admin.describeGroups(['kz-rebalance']);
        const g = groups[0]!;
        return g.state === 'Stable' && g.members.length === members ? g : undefined;
      });

    await start('a');
    await waitFor('consumer a to read', () => (seen.get('a')!.size > 0 ? true : undefined));
    const b = await start('b');
    await start('c');
    const three = await stableWith(3);
    const assigned = three.members.flatMap((m) => decodeAssignment(m.memberAssignment).get(topic) ?? []);
    expect(assigned.sort()).toEqual([0, 1, 2, 3, 4, 5]); // disjoint and complete
    expect(three.protocol).toBe('RoundRobinAssigner');
    expect(three.members.every((m) => m.clientHost === '/127.0.0.1')).toBe(true);
    await waitFor('all 300 first messages', () => (all().size === 300 ? true : undefined));

    await b.disconnect(); // LeaveGroup: the others take its partitions over
    const two = await stableWith(2);
    expect(two.members.flatMap((m) => decodeAssignment(m.memberAssignment).get(topic) ?? []).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    await produce(topic, 50, 50, 6);
    await waitFor('all 600 messages', () => (all().size === 600 ? true : undefined));
    await waitFor('offsets committed to the end', async () => {
      const [t] = await admin.fetchOffsets({ groupId: 'kz-rebalance', topics: [topic] });
      return t!.partitions.every((p) => p.offset === '100') ? true : undefined;
    });
    for (const c of consumers) await c.disconnect();
    consumers.length = 0;
    const { groups } = await admin.describeGroups(['kz-rebalance']);
    expect(groups[0]).toMatchObject({ state: 'Empty', members: [] });
    await admin.disconnect();
  });

  it('keeps committed offsets and group metadata across a broker restart', async () => {
    const topic = 'groups-restart';
    let admin = kafka().admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
    await produce(topic, 0, 20, 3);
    const first = new Set<string>();
    const c = kafka().consumer({ groupId: 'kz-restart' });
    await c.connect();
    await c.subscribe({ topic, fromBeginning: true });
    await c.run({ eachMessage: async ({ message }) => void first.add(message.value!.toString()) });
    await waitFor('60 messages', () => (first.size === 60 ? true : undefined));
    await c.disconnect();
    await admin.setOffsets({ groupId: 'kz-restart', topic, partitions: [{ partition: 2, offset: '15' }] });
    const before = await admin.fetchOffsets({ groupId: 'kz-restart', topics: [topic] });
    await admin.disconnect();

    broker = await broker.restart();
    admin = kafka().admin();
    await admin.connect();
    expect(await admin.fetchOffsets({ groupId: 'kz-restart', topics: [topic] })).toEqual(before);
    expect(before[0]!.partitions.map((p) => p.offset).sort()).toEqual(['15', '20', '20']);
    const { groups } = await admin.describeGroups(['kz-restart']);
    expect(groups[0]).toMatchObject({ state: 'Empty', protocolType: 'consumer' });
    expect((await admin.listGroups()).groups.map((g) => g.groupId)).toContain('kz-restart');

    // A new member resumes where the group left off: only partition 2's last five, then new data.
    await produce(topic, 20, 1, 3);
    const second: string[] = [];
    const c2 = kafka().consumer({ groupId: 'kz-restart' });
    consumers.push(c2);
    await c2.connect();
    await c2.subscribe({ topic, fromBeginning: true });
    await c2.run({ eachMessage: async ({ message }) => void second.push(message.value!.toString()) });
    await waitFor('8 messages', () => (second.length >= 8 ? true : undefined));
    expect(second.sort()).toEqual(['p0-20', 'p1-20', 'p2-15', 'p2-16', 'p2-17', 'p2-18', 'p2-19', 'p2-20']);
    await c2.disconnect();
    consumers.length = 0;

    await admin.deleteGroups(['kz-restart']);
    expect((await admin.listGroups()).groups.map((g) => g.groupId)).not.toContain('kz-restart');
    await admin.disconnect();
    broker = await broker.restart();
    admin = kafka().admin();
    await admin.connect();
    // Deletion wrote tombstones: the group stays gone after a reload.
    expect((await admin.listGroups()).groups.map((g) => g.groupId)).not.toContain('kz-restart');
    await admin.disconnect();
  });
});
