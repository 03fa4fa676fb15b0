import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApacheDistribution } from '../../../../workloads/launchers/apache-distribution.js';
import { type ApacheToolName, runApacheTool } from '../../../../workloads/launchers/apache-tools.js';
import { cachedApache } from '../../launchers/cached-apache.js';
import { type TestBroker, startTestBroker } from './broker-fixture.js';

// Apache's kafka-topics and kafka-configs (ConfigCommand, behind the Java AdminClient) against
// the reference broker: topic configs are checked, stored and described as Apache does.
const version = '3.9.2';
const { dist, reason } = await cachedApache('kafka', version);
if (!dist) console.warn(`skipping Apache kafka-topics/kafka-configs against the reference broker: ${reason}`);

const configCommand = { mainClass: 'kafka.admin.ConfigCommand' };

describe.skipIf(!dist)(`Apache Kafka ${version} kafka-topics and kafka-configs against the reference broker`, () => {
  let broker: TestBroker;
  const run = (name: ApacheToolName | { mainClass: string }, args: string[]) =>
    runApacheTool(dist as ApacheDistribution, name, ['--bootstrap-server', broker.bootstrap, ...args], { timeoutMs: 120_000 });
  const ok = async (name: ApacheToolName | { mainClass: string }, args: string[]) => {
    const r = await run(name, args);
    if (r.code !== 0) throw new Error(`${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };
  const topicConfigs = (topic: string, all = false) => ok(configCommand, ['--entity-type', 'topics', '--entity-name', topic, '--describe', ...(all ? ['--all'] : [])]);

  beforeAll(async () => {
    broker = await startTestBroker({ 'log.retention.hours': '24', 'num.partitions': '2' });
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it('creates a topic with configs, refuses an unknown config without creating the topic', async () => {
    expect(await ok('kafka-topics', ['--create', '--topic', 'cfg-a', '--replication-factor', '1', '--config', 'cleanup.policy=compact', '--config', 'retention.ms=3600000'])).toContain('Created topic cfg-a.');
    const bad = await run('kafka-topics', ['--create', '--topic', 'cfg-bad', '--config', 'no.such.config=1']);
    expect(bad.code).not.toBe(0);
    expect(bad.stdout + bad.stderr).toContain('Unknown topic config name: no.such.config');
    const list = (await ok('kafka-topics', ['--list'])).split('\n');
    expect(list).toContain('cfg-a');
    expect(list).not.toContain('cfg-bad');
    expect(await ok('kafka-topics', ['--describe', '--topic', 'cfg-a'])).toMatch(/PartitionCount: 2\s+ReplicationFactor: 1\s+Configs: cleanup.policy=compact,retention.ms=3600000/);
  });

  it('alters and describes topic configs, with sources and synonyms', async () => {
    await ok(configCommand, ['--entity-type', 'topics', '--entity-name', 'cfg-a', '--alter', '--add-config', 'segment.ms=7200000,cleanup.policy=[compact,delete]', '--delete-config', 'retention.ms']);
    const own = await topicConfigs('cfg-a');
    expect(own).toContain('cleanup.policy=compact,delete sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:cleanup.policy=compact,delete, DEFAULT_CONFIG:log.cleanup.policy=delete}');
    expect(own).toContain('segment.ms=7200000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:segment.ms=7200000}');
    expect(own).not.toContain('retention.ms');
    const all = (await topicConfigs('cfg-a', true)).split('\n').filter((l) => l.includes('sensitive='));
    expect(all).toHaveLength(36);
    // The retention comes from log.retention.hours, which Apache does not list as a synonym of retention.ms.
    expect(all).toContain('  retention.ms=86400000 sensitive=false synonyms={}');
    expect(all).toContain('  segment.index.bytes=10485760 sensitive=false synonyms={DEFAULT_CONFIG:log.index.size.max.bytes=10485760}');
    const bad = await run(configCommand, ['--entity-type', 'topics', '--entity-name', 'cfg-a', '--alter', '--add-config', 'retention.ms=soon']);
    expect(bad.code).not.toBe(0);
    expect(bad.stdout + bad.stderr).toContain('Invalid value soon for configuration retention.ms');
  });

  // The test broker has no node.id in its properties and takes 1, as kzbench serve kafka does.
  it('describes the broker: server.properties as STATIC_BROKER_CONFIG over the defaults', async () => {
    const out = await ok(configCommand, ['--entity-type', 'brokers', '--entity-name', '1', '--describe', '--all']);
    expect(out).toContain('num.partitions=2 sensitive=false synonyms={STATIC_BROKER_CONFIG:num.partitions=2, DEFAULT_CONFIG:num.partitions=1}');
    expect(out).toContain('log.retention.hours=24 sensitive=false synonyms={STATIC_BROKER_CONFIG:log.retention.hours=24, DEFAULT_CONFIG:log.retention.hours=168}');
    expect(out).toContain('delete.topic.enable=true sensitive=false synonyms={DEFAULT_CONFIG:delete.topic.enable=true}');
  });
});
