import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { describeKafkaCluster, type KafkaClusterView } from '../../workloads/launchers/kafka-health.js';
import { runApacheTool } from '../../workloads/launchers/apache-tools.js';
import { findOnPath } from '../../workloads/launchers/prerequisites.js';
import { connectString } from '../../workloads/launchers/target.js';
import { cachedApache } from '../integration/launchers/cached-apache.js';
import { clusterDown, clusterUp, forceDown } from './cluster-support.js';

const { dist, reason } = await cachedApache('kafka', '4.3.1');
if (!dist) console.warn(`skipping kzbench cluster up kafka: ${reason}`);
const kcat = findOnPath('kcat');

/** Metadata as seen by kafkajs; retried, since a loaded 2-core machine can miss one request's timeout. */
async function clusterView(brokers: string): Promise<KafkaClusterView | null> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const view = await describeKafkaCluster(brokers.split(','), 10_000);
    if (view) return view;
    await sleep(1000);
  }
  return null;
}

describe.skipIf(!dist)('kzbench cluster up/down kafka --impl apache (KRaft combined mode)', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'kz-e2e-kafka-'));
  });
  afterAll(async () => {
    for (const d of ['one', 'three']) await forceDown(join(root, d));
    await rm(root, { recursive: true, force: true });
  });

  // JVM start-up on two shared cores is slow: these tests get more than the default timeout.
  it('one node: Metadata lists the broker and a controller; down leaves nothing', { timeout: 300_000 }, async () => {
    const dir = join(root, 'one');
    const target = await clusterUp(['kafka', '--nodes', '1'], dir);
    expect(target).toMatchObject({ system: 'kafka', impl: 'apache', version: '4.3.1', launcher: 'local' });
    const view = await clusterView(connectString(target));
    expect(view?.brokerIds).toEqual([1]);
    await clusterDown(dir, target);
  });

  it.skipIf(!kcat)('three nodes: kcat produces to and consumes from the cluster; TopicCommand sees replication factor 3', { timeout: 400_000 }, async () => {
    const dir = join(root, 'three');
    const target = await clusterUp(['kafka', '--nodes', '3'], dir);
    const view = await clusterView(connectString(target));
    expect(view?.brokerIds).toEqual([1, 2, 3]);
    const brokers = connectString(target);
    const messages = ['one', 'two', 'three', 'four'];
    // -X topic auto-creation happens broker-side (auto.create.topics.enable) with replication factor 3.
    const produced = spawnSync(kcat!, ['-b', brokers, '-P', '-t', 'kz-e2e', '-X', 'acks=all'], { input: messages.join('\n') + '\n', encoding: 'utf8', timeout: 60_000 });
    expect(produced.status, produced.stderr).toBe(0);
    const consumed = spawnSync(kcat!, ['-b', brokers, '-C', '-t', 'kz-e2e', '-o', 'beginning', '-c', String(messages.length), '-e'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(consumed.status, consumed.stderr).toBe(0);
    expect(consumed.stdout.trim().split('\n')).toEqual(messages);
    const meta = spawnSync(kcat!, ['-b', brokers, '-L', '-t', 'kz-e2e'], { encoding: 'utf8', timeout: 60_000 });
    expect(meta.stdout).toMatch(/replicas: \d+,\d+,\d+/);
    const topics = await runApacheTool(dist!, 'kafka-topics', ['--bootstrap-server', brokers, '--describe', '--topic', 'kz-e2e'], { timeoutMs: 120_000 });
    expect(topics.code, topics.stderr).toBe(0);
    expect(topics.stdout).toMatch(/ReplicationFactor:\s*3/);
    await clusterDown(dir, target);
  });
});
