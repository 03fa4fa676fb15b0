import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { check, jepsenRun } from './jepsen-support.js';

/**
 * Power loss on the reference Kafka broker (`--nemesis disk`: SIGKILL, then everything not
 * fsynced is gone). Kafka acknowledges acks=all once the in-sync replicas have a record in
 * memory; with Apache's default flush policy (no fsync of its own) a single broker that loses
 * power loses acknowledged writes, and the verdict must say so and why. With the topic
 * fsyncing every message nothing acknowledged is lost, unless the broker only pretends to
 * fsync (the seeded skip-fsync bug). Three short runs, about 12 s each.
 */
describe('kafka-queue on the reference broker with lost unfsynced writes', { timeout: 300_000 }, () => {
  const base = ['kafka-queue', '--target', 'reference', '--duration', '6', '--nemesis', 'disk', '--set', 'nemesis-interval=2'];

  it("default flush policy: acknowledged writes are lost, and the verdict says it is Kafka's documented trade-off", async () => {
    const run = await jepsenRun(base);
    expect(run.cli.code, run.cli.stderr.slice(-3000)).toBe(3);
    expect(run.results.nemesis.some((n) => n.fault === 'disk')).toBe(true);
    const queue = check(run, 'kafka-queue');
    // Acknowledged values the final read of every partition never returned, and their offsets
    // handed out again after the restart (a lost-write too, when a later record survives).
    expect(queue.anomalyTypes).toEqual(expect.arrayContaining(['unseen', 'inconsistent-offsets']));
    expect(queue.summary).toContain("left fsync to the operating system (no flush.messages: Apache's default)");
    expect(run.report).toContain('Kafka acknowledges a write once every in-sync replica has it in memory');
    // The nemesis really threw bytes away.
    expect(run.history).toMatch(/"f":"start-disk","value":\{"nodes":\["n1"\],"lostUnsynced":\[\{"node":"n1","files":[1-9]\d*,"lostBytes":[1-9]/);
  });

  it('flush-messages=1: the broker fsyncs before it acknowledges, nothing acknowledged is lost', async () => {
    const run = await jepsenRun([...base, '--set', 'flush-messages=1']);
    expect(run.cli.code, run.cli.stderr.slice(-3000)).toBe(0);
    expect(run.results.nemesis.filter((n) => n.fault === 'disk').length).toBeGreaterThan(0);
    expect(check(run, 'kafka-queue').valid).toBe(true);
    expect(run.results.config.settings).toMatchObject({ flushMessages: 1 });
    expect(run.history).toContain('"process":"final-0"');
  });

  it('flush-messages=1 with skip-fsync: flushes that never reach the disk lose acknowledged writes again', async () => {
    const run = await jepsenRun([...base, '--set', 'flush-messages=1', '--inject-bug', 'skip-fsync']);
    expect(run.cli.code, run.cli.stderr.slice(-3000)).toBe(3);
    expect(run.results.config.injectBug).toBe('skip-fsync');
    const queue = check(run, 'kafka-queue');
    expect(queue.anomalyTypes).toEqual(expect.arrayContaining(['unseen', 'inconsistent-offsets']));
    // The loss is the bug's, not the flush policy's: no trade-off explanation.
    expect(queue.summary).not.toContain('flush.messages');
  });

  it('refuses disk on Apache Kafka before starting anything (its fsyncs are not known from outside)', async () => {
    const apache = await runCli(['run', 'kafka-queue', '--target', 'apache', '--nemesis', 'disk']);
    expect(apache.code).toBe(2);
    expect(apache.stderr).toContain('reference Kafka broker');
    expect(apache.stderr).not.toContain('starting apache');
  });
});
