import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GroupClient, type GroupConsumer, groupConsumer } from '../../../workloads/kafka/group-consumer.js';
import { MemberGroupConsumer } from '../../../workloads/kafka/member-group-consumer.js';
import { disconnectQuietly, kafkajsClient } from '../../../workloads/kafka/kafkajs-factory.js';
import type { PolledRecord } from '../../../workloads/kafka/queue-client.js';
import { LocalCluster } from '../../../workloads/launchers/local-cluster.js';
import { cliBuilt } from '../servers/kafka/child-broker.js';

describe.skipIf(!cliBuilt).each(['kzbench', 'kafkajs'] as GroupClient[])('GroupConsumer on %s (kafka-queue subscribe mode) against the reference broker (run npm run build first)', { timeout: 120_000 }, (client) => {
  const topic = `group-consumer-queue-${client}`;
  const groupId = `group-consumer-group-${client}`;
  let dir: string;
  let cluster: LocalCluster;
  const members: GroupConsumer[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kz-group-consumer-'));
    cluster = await LocalCluster.start({ system: 'kafka', impl: 'reference', nodes: 1, dir });
    const admin = kafkajsClient(cluster.connectString, 'group-consumer-test').admin();
    await admin.connect();
    try {
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 2, replicationFactor: 1 }] });
    } finally {
      await disconnectQuietly(admin);
    }
  });

  afterAll(async () => {
    await Promise.all(members.map((m) => m.close()));
    await cluster?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function send(values: number[]): Promise<void> {
    const producer = kafkajsClient(cluster.connectString, 'group-consumer-test').producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await producer.connect();
    try {
      await producer.send({ topic, acks: -1, messages: values.map((v) => ({ partition: v % 2, value: String(v) })) });
    } finally {
      await disconnectQuietly(producer);
    }
  }

  /** Polls until `count` records arrived (or 30 s passed); every poll's runs must be contiguous. */
  async function readRecords(member: GroupConsumer, count: number): Promise<Map<number, PolledRecord[]>> {
    const read = new Map<number, PolledRecord[]>();
    const deadline = Date.now() + 30_000;
    let total = 0;
    while (total < count && Date.now() < deadline) {
      const polled = await member.poll();
      for (const [partition, records] of polled) {
        expect(records.length).toBeLessThanOrEqual(4);
        records.forEach(([offset], i) => i > 0 && expect(offset).toBe(records[i - 1]![0] + 1));
        read.set(partition, [...(read.get(partition) ?? []), ...records]);
        total += records.length;
      }
      if (polled.size === 0) await new Promise((r) => setTimeout(r, 50));
    }
    return read;
  }

  function member(clientId: string, onJoin: () => void): GroupConsumer {
    const m = groupConsumer(client, { bootstrap: cluster.connectString, topic, groupId, clientId, readCommitted: false, maxPerPoll: 4, commitWaitMs: 3000, onJoin });
    members.push(m);
    return m;
  }

  it('a member reads every partition from the start, commits, and the next member starts at the commit', async () => {
    await send(Array.from({ length: 20 }, (_, v) => v));
    let firstJoins = 0;
    const first = member('first', () => firstJoins++);
    await first.subscribe();
    const firstRead = await readRecords(first, 20);
    expect(firstJoins).toBeGreaterThanOrEqual(1);
    for (const p of [0, 1]) {
      expect(firstRead.get(p)).toEqual(Array.from({ length: 10 }, (_, i) => [i, 2 * i + p]));
    }
    await first.close();

    await send(Array.from({ length: 10 }, (_, i) => 20 + i));
    let secondJoins = 0;
    const second = member('second', () => secondJoins++);
    await second.subscribe();
    const secondRead = await readRecords(second, 10);
    expect(secondJoins).toBeGreaterThanOrEqual(1);
    // The first member's polls committed offset 10 of each partition: nothing is read twice.
    for (const p of [0, 1]) {
      expect(secondRead.get(p)).toEqual(Array.from({ length: 5 }, (_, i) => [10 + i, 20 + 2 * i + p]));
    }
  });
});

describe.skipIf(!cliBuilt)('GroupConsumer on kzbench: members share a topic, one leaves, every record is read', { timeout: 120_000 }, () => {
  const topic = 'group-consumer-share';
  const groupId = 'group-consumer-share-group';
  const PARTITIONS = 4;
  let dir: string;
  let cluster: LocalCluster;
  const members: MemberGroupConsumer[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kz-group-share-'));
    cluster = await LocalCluster.start({ system: 'kafka', impl: 'reference', nodes: 1, dir });
    const kafka = kafkajsClient(cluster.connectString, 'group-share-test');
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }] });
    } finally {
      await disconnectQuietly(admin);
    }
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await producer.connect();
    try {
      await producer.send({ topic, acks: -1, messages: Array.from({ length: 80 }, (_, v) => ({ partition: v % PARTITIONS, value: String(v) })) });
    } finally {
      await disconnectQuietly(producer);
    }
  });

  afterAll(async () => {
    await Promise.all(members.map((m) => m.close()));
    await cluster?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  function member(clientId: string): MemberGroupConsumer {
    const m = new MemberGroupConsumer({ bootstrap: cluster.connectString, topic, groupId, clientId, readCommitted: false, maxPerPoll: 3, commitWaitMs: 3000 });
    members.push(m);
    return m;
  }

  it('two members read disjoint partitions; after one leaves the other reads the rest from its commits; every value once per owner', async () => {
    const a = member('a');
    const b = member('b');
    await a.subscribe();
    await b.subscribe();
    // Both in one generation, each with half the partitions.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const ga = a.groupMember!.generation;
      const gb = b.groupMember!.generation;
      if (ga && gb && ga.generationId === gb.generationId && ga.partitions.length + gb.partitions.length === PARTITIONS) {
        expect([...ga.partitions, ...gb.partitions].sort()).toEqual([0, 1, 2, 3]);
        break;
      }
      if (Date.now() > deadline) throw new Error('the two members did not share one generation');
      await new Promise((r) => setTimeout(r, 50));
    }
    const ownedByB = b.groupMember!.generation!.partitions;
    // a polls its partitions to the end; b polls a few times (its commits are what a resumes from).
    const values = new Map<number, number[]>();
    const take = (polled: Map<number, PolledRecord[]>) => {
      for (const [p, records] of polled) values.set(p, [...(values.get(p) ?? []), ...records.map(([, v]) => v)]);
    };
    for (let i = 0; i < 2; i++) take(await b.poll());
    const readByB = new Map([...values].map(([p, v]) => [p, v.length]));
    expect([...readByB.values()].reduce((x, y) => x + y, 0)).toBeGreaterThan(0);
    await b.close();
    // a takes over b's partitions from b's committed offsets: no value is read twice, none is missed.
    const end = Date.now() + 30_000;
    while ([...values.values()].reduce((n, v) => n + v.length, 0) < 80 && Date.now() < end) {
      const polled = await a.poll();
      take(polled);
      if (polled.size === 0) await new Promise((r) => setTimeout(r, 20));
    }
    expect(a.groupMember!.generation!.partitions).toEqual([0, 1, 2, 3]);
    for (let p = 0; p < PARTITIONS; p++) {
      expect(values.get(p), `partition ${p} (b owned ${ownedByB})`).toEqual(Array.from({ length: 20 }, (_, i) => i * PARTITIONS + p));
    }
  });
});
