import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Results } from '../../reports/results-schema.js';
import { cachedApache } from '../integration/launchers/cached-apache.js';
import { runCli } from '../support/cli.js';

const outDirs: string[] = [];
afterAll(async () => {
  await Promise.all(outDirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** `kzbench run kafka-queue … --out <tmp>`: its exit code, results and history lines. */
async function subscribeRun(extra: string[], target = 'reference', duration = '6') {
  const out = await mkdtemp(join(tmpdir(), 'kz-subscribe-e2e-'));
  outDirs.push(out);
  const args = ['run', 'kafka-queue', '--target', target, '--duration', duration, '--set', 'sub-via=subscribe', ...extra, '--out', out];
  const cli = await runCli(args, { timeoutMs: 240_000 });
  let results: Results;
  try {
    results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as Results;
  } catch {
    throw new Error(`kzbench ${args.join(' ')} wrote no results (exit ${cli.code}):\n${cli.stderr.slice(-3000)}`);
  }
  const history = (await readFile(join(out, 'history.jsonl'), 'utf8'))
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as { process: number | string; type: string; f: string; value: unknown; time: number });
  const queue = results.checks.find((c) => c.checker === 'kafka-queue');
  if (!queue) throw new Error('no kafka-queue check in the results');
  return { cli, results, history, queue };
}

describe('kafka-queue with sub-via=subscribe (a consumer group) against the reference broker', { timeout: 300_000 }, () => {
  it('members join one group, polls read what the coordinator assigned them, and the verdict is valid', async () => {
    const run = await subscribeRun(['--set', 'rejoin-ratio=30']);
    expect(run.cli.code, run.cli.stderr.slice(-2000)).toBe(0);
    expect(run.queue.valid).toBe(true);
    expect((run.queue.details as { subVia: string[] }).subVia).toContain('subscribe');
    expect(run.results.config.settings).toMatchObject({ subscribeVia: 'subscribe' });
    const extra = run.results.config.extra as { groupJoins: number; consumerGroup: string };
    // Six members joining (and some rejoining) one group: the coordinator rebalanced.
    expect(extra.groupJoins).toBeGreaterThan(1);
    expect(run.history.some((o) => o.f === 'subscribe' && o.type === 'ok')).toBe(true);
    expect(run.history.some((o) => o.f === 'assign' && typeof o.process === 'number')).toBe(false);
    // Group members (not only the final assign-mode reader) read records.
    const groupReads = run.history.filter((o) => o.f === 'poll' && o.type === 'ok' && typeof o.process === 'number' && pollCount(o.value) > 0);
    expect(groupReads.length).toBeGreaterThan(0);
  });

  it('kill: the broker is killed and restarted under the group (kzbench members); the verdict is valid', async () => {
    const run = await subscribeRun(['--nemesis', 'kill', '--set', 'nemesis-interval=4'], 'reference', '12');
    expect(run.cli.code, run.cli.stderr.slice(-2000)).toBe(0);
    expect(run.queue.valid).toBe(true);
    expect(run.results.config.settings).toMatchObject({ subscribeVia: 'subscribe', groupClient: 'kzbench' });
    expect(run.results.nemesis.some((n) => n.fault === 'kill')).toBe(true);
    expect(run.history.some((o) => o.f === 'start-kill')).toBe(true);
    expect((run.results.config.extra as { groupJoins: number }).groupJoins).toBeGreaterThan(1);
    // Group members (not only the final assign-mode reader) read records, and no op was left hanging.
    expect(run.history.filter((o) => o.f === 'poll' && o.type === 'ok' && typeof o.process === 'number' && pollCount(o.value) > 0).length).toBeGreaterThan(0);
    expect(run.history.filter((o) => o.type === 'invoke').length).toBe(run.history.filter((o) => o.type !== 'invoke' && o.process !== 'nemesis').length);
  });

  it('with group-client=kafkajs refuses faults (exit 2): the kafkajs group consumer can hang when brokers come and go', async () => {
    const cli = await runCli(['run', 'kafka-queue', '--target', 'reference', '--duration', '1', '--set', 'sub-via=subscribe', '--set', 'group-client=kafkajs', '--nemesis', 'kill'], { timeoutMs: 60_000 });
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain('sub-via=subscribe with group-client=kafkajs runs without --nemesis');
  });

  it('lost-ack: acknowledged values that never reach the log are caught as lost writes', async () => {
    const run = await subscribeRun(['--inject-bug', 'lost-ack']);
    expect(run.cli.code, run.cli.stderr.slice(-2000)).toBe(3);
    expect(run.queue.valid).toBe(false);
    expect(run.queue.anomalyTypes).toContain('lost-write');
  });

  it('dup-append: a batch stored twice is caught as duplicates', async () => {
    const run = await subscribeRun(['--inject-bug', 'dup-append']);
    expect(run.cli.code, run.cli.stderr.slice(-2000)).toBe(3);
    expect(run.queue.valid).toBe(false);
    expect(run.queue.anomalyTypes).toContain('duplicate');
  });
});

const { dist, reason } = await cachedApache('kafka', '3.9.2');
if (!dist) console.warn(`skipping kafka-queue subscribe on Apache Kafka: ${reason}`);
const { dist: dist431, reason: reason431 } = await cachedApache('kafka', '4.3.1');
if (!dist431) console.warn(`skipping kafka-queue subscribe with faults on Apache Kafka 4.3.1: ${reason431}`);

describe.skipIf(!dist)('kafka-queue with sub-via=subscribe on Apache Kafka 3.9.2', { timeout: 300_000 }, () => {
  it('Apache\'s group coordinator rebalances the members and the verdict is valid', async () => {
    const run = await subscribeRun(['--set', 'rejoin-ratio=30'], 'apache:3.9.2');
    expect(run.cli.code, run.cli.stderr.slice(-3000)).toBe(0);
    expect(run.queue.valid).toBe(true);
    expect((run.results.config.extra as { groupJoins: number }).groupJoins).toBeGreaterThan(1);
  });
});

describe.skipIf(!dist431)('kafka-queue with sub-via=subscribe on a 3-node Apache Kafka 4.3.1 (KRaft) with brokers killed', { timeout: 300_000 }, () => {
  it('acks=all, kzbench group members across kills: valid, no acknowledged write lost', async () => {
    const run = await subscribeRun(['--nodes', '3', '--nemesis', 'kill:one', '--set', 'nemesis-interval=4'], 'apache:4.3.1', '10');
    expect(run.cli.code, run.cli.stderr.slice(-3000)).toBe(0);
    expect(run.queue.valid).toBe(true);
    expect(run.queue.anomalyTypes).not.toContain('lost-write');
    expect(run.results.config.settings).toMatchObject({ acks: 'all', idempotent: true, subscribeVia: 'subscribe', groupClient: 'kzbench' });
    expect(run.results.nemesis.some((n) => n.fault === 'kill')).toBe(true);
    expect((run.results.config.extra as { groupJoins: number }).groupJoins).toBeGreaterThan(1);
  });
});

/** Records in a completed poll value `[["poll", {partition: [[offset, value], …]}]]`. */
function pollCount(value: unknown): number {
  const [[, byPartition]] = value as [[string, Record<string, unknown[]>]];
  return Object.values(byPartition).reduce((n, records) => n + records.length, 0);
}
