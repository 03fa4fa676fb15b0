import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApacheDistribution } from '../../../workloads/launchers/apache-distribution.js';
import { runApacheTool, toolMainClass, type ApacheToolName } from '../../../workloads/launchers/apache-tools.js';
import { LocalCluster } from '../../../workloads/launchers/local-cluster.js';
import { cachedApache } from './cached-apache.js';

// The 3.x line: Scala-era class names (kafka.tools.ConsoleProducer) and reload4j logging.
const version = '3.9.2';
const { dist, reason } = await cachedApache('kafka', version);
if (!dist) console.warn(`skipping the Kafka tools integration tests: ${reason}`);

describe.skipIf(!dist)(`Apache Kafka ${version} tools against a single-node KRaft cluster from the local launcher`, { timeout: 300_000 }, () => {
  let dir: string;
  let cluster: LocalCluster;
  const kafka = dist as ApacheDistribution;
  const tool = (name: ApacheToolName, args: string[], input?: string) => runApacheTool(kafka, name, args, { input, timeoutMs: 90_000 });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kz-kafka-tools-'));
    cluster = await LocalCluster.start({ system: 'kafka', impl: 'apache', version, nodes: 1, dir });
  }, 400_000);
  afterAll(async () => {
    await cluster?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('picks the class each tool has in this release', async () => {
    expect(await toolMainClass(kafka, 'kafka-console-producer')).toBe('kafka.tools.ConsoleProducer');
    expect(await toolMainClass(kafka, 'kafka-console-consumer')).toBe('org.apache.kafka.tools.consumer.ConsoleConsumer');
    expect(await toolMainClass(kafka, 'kafka-topics')).toBe('org.apache.kafka.tools.TopicCommand');
    await expect(toolMainClass(kafka, 'zookeeper-shell')).rejects.toMatchObject({ code: 'KZ_APACHE_TOOL_INVALID' });
  });

  it('TopicCommand creates and describes a topic', async () => {
    const created = await tool('kafka-topics', ['--bootstrap-server', cluster.connectString, '--create', '--topic', 'kz-tools', '--partitions', '2', '--replication-factor', '1']);
    expect(created.code, created.stderr).toBe(0);
    const described = await tool('kafka-topics', ['--bootstrap-server', cluster.connectString, '--describe', '--topic', 'kz-tools']);
    expect(described.stdout).toMatch(/PartitionCount:\s*2/);
  });

  it('console producer → console consumer round trip, then the consumer group is listed', async () => {
    const produced = await tool('kafka-console-producer', ['--bootstrap-server', cluster.connectString, '--topic', 'kz-tools'], 'alpha\nbeta\ngamma\n');
    expect(produced.code, produced.stderr).toBe(0);
    const consumed = await tool('kafka-console-consumer', [
      '--bootstrap-server',
      cluster.connectString,
      '--topic',
      'kz-tools',
      '--from-beginning',
      '--max-messages',
      '3',
      '--group',
      'kz-tools-group',
      // Commit while consuming, not only on close: a group with no committed offset vanishes when it empties.
      '--consumer-property',
      'auto.commit.interval.ms=100',
    ]);
    expect(consumed.code, consumed.stderr).toBe(0);
    expect(consumed.stdout.trim().split('\n').sort()).toEqual(['alpha', 'beta', 'gamma']);
    // Retried: on a loaded machine the group coordinator may answer "not available" for a moment.
    let groups = await tool('kafka-consumer-groups', ['--bootstrap-server', cluster.connectString, '--list']);
    for (let attempt = 0; attempt < 5 && !groups.stdout.split('\n').includes('kz-tools-group'); attempt++) {
      await sleep(2000);
      groups = await tool('kafka-consumer-groups', ['--bootstrap-server', cluster.connectString, '--list']);
    }
    expect(groups.stdout.split('\n'), groups.stdout + groups.stderr).toContain('kz-tools-group');
  });

  it('the producer and consumer perf tests run to completion', async () => {
    const prod = await tool('kafka-producer-perf-test', [
      '--topic',
      'kz-perf',
      '--num-records',
      '200',
      '--record-size',
      '100',
      '--throughput',
      '-1',
      '--producer-props',
      `bootstrap.servers=${cluster.connectString}`,
    ]);
    expect(prod.code, prod.stderr).toBe(0);
    expect(prod.stdout).toMatch(/200 records sent/);
    const cons = await tool('kafka-consumer-perf-test', ['--bootstrap-server', cluster.connectString, '--topic', 'kz-perf', '--messages', '200']);
    expect(cons.code, cons.stderr).toBe(0);
    expect(cons.stdout).toMatch(/start\.time/);
  });
});
