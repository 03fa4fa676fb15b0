import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningKafkaBroker, startKafkaBroker } from '../../../../servers/kafka/kafka-broker.js';
import type { ApacheDistribution } from '../../../../workloads/launchers/apache-distribution.js';
import { type ApacheToolName, runApacheTool } from '../../../../workloads/launchers/apache-tools.js';
import { cachedApache } from '../../launchers/cached-apache.js';
import { testBrokerDefaults } from './broker-fixture.js';

// Apache Kafka 4.3.1's Java consumer with the KIP-848 protocol (group.protocol=consumer) and its
// kafka-consumer-groups tool against the reference broker mimicking Kafka 4.1.
const version = '4.3.1';
const { dist, reason } = await cachedApache('kafka', version);
if (!dist) console.warn(`skipping the KIP-848 Java consumer test: ${reason}`);

const consumersProgram = fileURLToPath(new URL('./fixtures/Kip848Consumers.java', import.meta.url));

describe.skipIf(!dist)(`Apache Kafka ${version} consumers with group.protocol=consumer against the reference broker`, { timeout: 180_000 }, () => {
  const kafka = dist as ApacheDistribution;
  const logDir = mkdtempSync(join(tmpdir(), 'kz-kip848-'));
  // A short heartbeat interval (the broker decides it in KIP-848) keeps the rebalances quick.
  const properties = { ...testBrokerDefaults, 'offsets.topic.num.partitions': '3', 'group.consumer.heartbeat.interval.ms': '500' };
  let broker: RunningKafkaBroker | undefined;
  const start = async (port = 0) => (broker = await startKafkaBroker({ port, logDir, properties, asVersion: '4.1' }));
  const tool = async (name: ApacheToolName | { mainClass: string }, args: string[]) => {
    const r = await runApacheTool(kafka, name, args, { timeoutMs: 120_000 });
    if (r.code !== 0) throw new Error(`${typeof name === 'string' ? name : name.mainClass} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };
  /** `kafka-consumer-groups --describe` rows: partition → [current offset, log end offset, lag]. */
  const describeOffsets = async (group: string, topic: string) => {
    const out = await tool('kafka-consumer-groups', ['--bootstrap-server', broker!.bootstrap, '--describe', '--group', group]);
    const rows = new Map<number, string[]>();
    for (const line of out.split('\n')) {
      const cols = line.trim().split(/\s+/);
      if (cols[0] === group && cols[1] === topic) rows.set(Number(cols[2]), [cols[3]!, cols[4]!, cols[5]!]);
    }
    return rows;
  };

  beforeAll(async () => {
    await start();
  });
  afterAll(async () => {
    await broker?.close();
    rmSync(logDir, { recursive: true, force: true });
  });

  it('two consumers split the partitions without ever sharing one, read everything, and the survivor takes over; offsets survive a restart', async () => {
    expect(broker!.state.advertisedVersions.map((v) => v.apiKey)).toEqual(expect.arrayContaining([68, 69]));
    broker!.state.createTopic('kip848', 4, {});
    // Source-file mode: java compiles and runs the program against the distribution's jars.
    const out = await tool({ mainClass: consumersProgram }, [broker!.bootstrap, 'kip848', 'kip848-group', '4', '25', '90000']);
    const result = JSON.parse(out.trim().split('\n').pop()!) as {
      splitA: number[];
      splitB: number[];
      after: number[];
      consumed: number;
      duplicates: number;
      overlaps: number;
      described: { type: string; members: number; disjoint: boolean };
    };
    expect(result.overlaps).toBe(0);
    expect(result.described).toEqual({ type: 'Consumer', members: 2, disjoint: true });
    expect(result.splitA.length + result.splitB.length).toBe(4);
    expect([...result.splitA, ...result.splitB].sort()).toEqual([0, 1, 2, 3]);
    expect(result.after).toEqual([0, 1, 2, 3]);
    expect(result.consumed).toBe(200);

    const check = async () => {
      const rows = await describeOffsets('kip848-group', 'kip848');
      expect([...rows.keys()].sort()).toEqual([0, 1, 2, 3]);
      for (const [current, end, lag] of rows.values()) expect([current, end, lag]).toEqual(['50', '50', '0']);
    };
    await check();
    const listed = await tool('kafka-consumer-groups', ['--bootstrap-server', broker!.bootstrap, '--list', '--type']);
    expect(listed).toMatch(/kip848-group\s+Consumer/i);
    const epoch = broker!.state.groups.consumer.get('kip848-group')!.groupEpoch;

    // The group and its offsets come back from __consumer_offsets.
    const port = broker!.port;
    await broker!.close();
    broker = undefined;
    await start(port);
    const reloaded = broker!.state.groups.consumer.get('kip848-group');
    expect(reloaded?.state).toBe('Empty');
    expect(reloaded?.groupEpoch).toBe(epoch);
    await check();

    // Apache 4.3.1's own log dumper decodes the group's records in __consumer_offsets.
    const partition = broker!.state.groups.store.partitionFor('kip848-group');
    const dumped = await tool({ mainClass: 'org.apache.kafka.tools.DumpLogSegments' }, ['--offsets-decoder', '--print-data-log', '--files', join(logDir, `__consumer_offsets-${partition}`, '00000000000000000000.log')]);
    const types = new Set([...dumped.matchAll(/key: \{"type":"(\d+)","data":\{"groupId":"kip848-group"/g)].map((m) => Number(m[1])));
    expect([...types].sort()).toEqual(expect.arrayContaining([3, 5, 6, 7, 8]));
    expect(dumped).toMatch(/"assignedPartitions":\[\{"topicId":"[\w-]{22}","partitions":\[[\d,]+\],"assignmentEpochs":\[[\d,]+\]\}/);
    expect(dumped).not.toMatch(/Exception|Could not/);
  });

  it('as Kafka 3.9 (and by default) the broker stays classic: no ConsumerGroupHeartbeat advertised', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kz-kip848-39-'));
    try {
      for (const asVersion of ['3.9', undefined]) {
        const b = await startKafkaBroker({ port: 0, logDir: join(dir, String(asVersion)), properties, asVersion });
        try {
          const keys = b.state.advertisedVersions.map((v) => v.apiKey);
          expect(keys).not.toContain(68);
          expect(keys).not.toContain(69);
        } finally {
          await b.close();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
