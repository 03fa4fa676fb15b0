import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOnPath } from '../../../../workloads/launchers/prerequisites.js';
import { type TestBroker, startTestBroker, waitFor } from './broker-fixture.js';
import { runTool } from './run-tool.js';

const PYTHON = '/usr/bin/python3';
const pythonGroupScript = fileURLToPath(new URL('./fixtures/kafka_python_group.py', import.meta.url));
const hasKafkaPython = existsSync(PYTHON) && (() => {
  try {
    execFileSync(PYTHON, ['-c', 'import kafka'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const kcat = findOnPath('kcat');

describe('consumer groups of librdkafka (kcat -G) and kafka-python against the reference broker', () => {
  let broker: TestBroker;
  const children = new Set<ChildProcess>();
  const kafka = () => new Kafka({ clientId: 'kz-clients', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
  beforeAll(async () => {
    broker = await startTestBroker({ 'offsets.topic.num.partitions': '5' });
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await broker?.stop();
  });

  async function produce(topic: string, partitions: number, from: number, count: number): Promise<void> {
    const p = kafka().producer();
    await p.connect();
    for (let partition = 0; partition < partitions; partition++) {
      await p.send({ topic, messages: Array.from({ length: count }, (_, i) => ({ partition, value: `${partition}-${from + i}` })) });
    }
    await p.disconnect();
  }

  async function committed(group: string, topic: string): Promise<Record<number, string>> {
    const admin = kafka().admin();
    await admin.connect();
    const [t] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    await admin.disconnect();
    return Object.fromEntries(t!.partitions.map((p) => [p.partition, p.offset]));
  }

  /** A `kcat -G` balanced consumer whose printed records are collected as they arrive. */
  function kcatMember(group: string, topic: string, assignor = 'range,roundrobin'): { lines: string[]; stop: () => Promise<void> } {
    const args = ['-b', broker.bootstrap, '-G', group, '-X', 'auto.offset.reset=earliest', '-X', 'auto.commit.interval.ms=200', '-X', `partition.assignment.strategy=${assignor}`];
    const child = spawn(kcat!, [...args, '-u', '-q', '-f', '%p %o %s\\n', topic], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    const lines: string[] = [];
    let buf = '';
    child.stdout!.on('data', (d) => {
      buf += d;
      const parts = buf.split('\n');
      buf = parts.pop()!;
      lines.push(...parts.filter(Boolean));
    });
    return {
      lines,
      // SIGTERM: kcat closes the consumer, which commits and leaves the group.
      stop: () =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    };
  }

  it.skipIf(!kcat)('two kcat -G members split the partitions, consume everything and commit; a later member resumes', async () => {
    const admin = kafka().admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'kcat-group', numPartitions: 4 }] });
    await admin.disconnect();
    await produce('kcat-group', 4, 0, 25);
    const a = kcatMember('kz-kcat', 'kcat-group');
    const b = kcatMember('kz-kcat', 'kcat-group');
    const values = () => new Set([...a.lines, ...b.lines].map((l) => l.split(' ')[2]));
    await waitFor('kcat members to read all 100', () => (values().size === 100 ? true : undefined));
    const members = await waitFor('both kcat members in a stable group', async () => {
      const adm = kafka().admin();
      await adm.connect();
      const { groups } = await adm.describeGroups(['kz-kcat']);
      await adm.disconnect();
      return groups[0]!.state === 'Stable' && groups[0]!.members.length === 2 ? groups[0]! : undefined;
    });
    expect(members.protocol).toBe('range'); // librdkafka's default assignor list starts with range
    await waitFor('auto commits to reach the end', async () => (Object.values(await committed('kz-kcat', 'kcat-group')).every((o) => o === '25') ? true : undefined));
    await a.stop();
    await b.stop();

    await produce('kcat-group', 4, 25, 5);
    const c = kcatMember('kz-kcat', 'kcat-group');
    await waitFor('the new member to read the 20 new records', () => (c.lines.length >= 20 ? true : undefined));
    expect(c.lines.map((l) => l.split(' ')[2]).sort()).toEqual([0, 1, 2, 3].flatMap((p) => [25, 26, 27, 28, 29].map((i) => `${p}-${i}`)).sort());
    await c.stop();
    expect(await committed('kz-kcat', 'kcat-group')).toEqual({ 0: '30', 1: '30', 2: '30', 3: '30' });
  });

  for (const assignor of ['roundrobin', 'cooperative-sticky'] as const) {
    it.skipIf(!kcat)(`kcat -G members with the ${assignor} assignor share the partitions and read everything`, async () => {
      const topic = `kcat-${assignor}`;
      const group = `kz-kcat-${assignor}`;
      const admin = kafka().admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 6 }] });
      await admin.disconnect();
      await produce(topic, 6, 0, 10);
      const a = kcatMember(group, topic, assignor);
      await waitFor('the first member to read', () => (a.lines.length > 0 ? true : undefined));
      const b = kcatMember(group, topic, assignor);
      const members = await waitFor('both members in a stable group', async () => {
        const adm = kafka().admin();
        await adm.connect();
        const { groups } = await adm.describeGroups([group]);
        await adm.disconnect();
        return groups[0]!.state === 'Stable' && groups[0]!.members.length === 2 ? groups[0]! : undefined;
      });
      expect(members.protocol).toBe(assignor);
      await produce(topic, 6, 10, 10);
      const values = () => new Set([...a.lines, ...b.lines].map((l) => l.split(' ')[2]));
      await waitFor('all 120 records', () => (values().size === 120 ? true : undefined));
      await waitFor('both members to have read', () => (a.lines.length > 0 && b.lines.length > 0 ? true : undefined));
      await a.stop();
      await b.stop();
    });
  }

  it.skipIf(!hasKafkaPython)('kafka-python KafkaConsumer with group_id and auto commit resumes from its commits', async () => {
    const admin = kafka().admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'py-group', numPartitions: 3 }] });
    await admin.disconnect();
    await produce('py-group', 3, 0, 10);
    const run = async (count: number) => JSON.parse(await runTool(PYTHON, [pythonGroupScript, broker.bootstrap, 'py-group', 'kz-python', String(count), '3'], undefined, 90_000));
    const first = await run(30);
    expect(first.seen.map((s: [number, number, string]) => s[2]).sort()).toEqual([0, 1, 2].flatMap((p) => Array.from({ length: 10 }, (_, i) => `${p}-${i}`)).sort());
    expect(first.committed).toEqual({ 0: 10, 1: 10, 2: 10 });
    await produce('py-group', 3, 10, 2);
    const second = await run(6);
    expect(second.seen.map((s: [number, number, string]) => `${s[0]}@${s[1]}`).sort()).toEqual(['0@10', '0@11', '1@10', '1@11', '2@10', '2@11']);
    expect(second.committed).toEqual({ 0: 12, 1: 12, 2: 12 });
    expect(await committed('kz-python', 'py-group')).toEqual({ 0: '12', 1: '12', 2: '12' });
  });
});
