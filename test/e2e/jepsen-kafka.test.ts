import { describe, expect, it } from 'vitest';
import { sandboxUnavailableReason } from '../../workloads/nemesis/network-sandbox.js';
import { cachedApache } from '../integration/launchers/cached-apache.js';
import { check, jepsenRun, orphanedNamespaces } from './jepsen-support.js';

describe('kafka-queue against the reference broker: seeded bugs are caught', { timeout: 300_000 }, () => {
  const base = ['kafka-queue', '--target', 'reference', '--duration', '8'];

  it('without a bug every acknowledged value is read back exactly once', async () => {
    const run = await jepsenRun(base);
    expect(run.cli.code, run.cli.stderr.slice(-2000)).toBe(0);
    const queue = check(run, 'kafka-queue');
    expect(queue.valid).toBe(true);
    // The final polls after the load read every partition to its end.
    expect(run.history).toContain('"process":"final-0"');
  });

  it('lost-ack: acknowledged values that never reach the log are lost writes', async () => {
    const run = await jepsenRun([...base, '--inject-bug', 'lost-ack']);
    expect(run.cli.code).toBe(3);
    expect(check(run, 'kafka-queue').anomalyTypes).toEqual(expect.arrayContaining(['lost-write']));
  });

  it('transactions: read committed never shows an aborted send; read uncommitted does (G1a)', async () => {
    const committed = await jepsenRun([...base, '--set', 'txn=true']);
    expect(committed.cli.code, committed.cli.stderr.slice(-2000)).toBe(0);
    expect(committed.history).toMatch(/"type":"fail","f":"txn"/);
    const uncommitted = await jepsenRun([...base, '--set', 'txn=true', '--set', 'isolation=read-uncommitted']);
    expect(uncommitted.cli.code).toBe(3);
    expect(check(uncommitted, 'kafka-queue').anomalyTypes).toContain('G1a');
  });

  it('dup-append: a batch stored twice shows as duplicates', async () => {
    const run = await jepsenRun([...base, '--inject-bug', 'dup-append']);
    expect(run.cli.code).toBe(3);
    expect(check(run, 'kafka-queue').anomalyTypes).toContain('duplicate');
  });
});

const { dist, reason } = await cachedApache('kafka', '4.3.1');
if (!dist) console.warn(`skipping the Apache Kafka Jepsen runs: ${reason}`);
const sandboxMissing = sandboxUnavailableReason();
if (sandboxMissing) console.warn(`skipping the Apache Kafka partition run: ${sandboxMissing}`);

describe.skipIf(!dist)('kafka-queue on a 3-node Apache Kafka (KRaft)', { timeout: 600_000 }, () => {
  it('acks=all, min.insync.replicas=2, brokers killed: no acknowledged write is lost', async () => {
    const run = await jepsenRun(['kafka-queue', '--target', 'apache:4.3.1', '--nodes', '3', '--duration', '25', '--nemesis', 'kill:one', '--set', 'nemesis-interval=8'], 540_000);
    expect(run.cli.code, run.cli.stderr.slice(-3000)).toBe(0);
    const queue = check(run, 'kafka-queue');
    expect(queue.valid).toBe(true);
    expect(run.results.nemesis.some((n) => n.fault === 'kill')).toBe(true);
    expect(run.results.config.settings).toMatchObject({ acks: 'all', idempotent: true });
  });

  it.skipIf(sandboxMissing !== null)('acks=1 with the leader cut off loses acknowledged writes, and the verdict says why', async () => {
    const run = await jepsenRun(['kafka-queue', '--target', 'apache:4.3.1', '--nodes', '3', '--duration', '30', '--nemesis', 'partition:isolate-one', '--set', 'acks=1', '--set', 'nemesis-interval=8'], 540_000);
    expect(run.cli.code, run.cli.stderr.slice(-3000)).toBe(3);
    const queue = check(run, 'kafka-queue');
    expect(queue.anomalyTypes).toContain('lost-write');
    expect(queue.summary).toContain('acks=1');
    expect(run.report).toContain('This run used acks=1');
    expect(await orphanedNamespaces()).toEqual([]);
  });
});
