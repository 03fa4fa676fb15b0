import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

/** `kzbench conformance <system> --jepsen`: the quick profile's cases, each judged against its expected verdict. */
describe('kzbench conformance --jepsen', { timeout: 300_000 }, () => {
  let out: string;
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'kz-jepsen-profile-'));
  });
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('runs the Kafka reference cases: the clean run valid, each seeded bug invalid with its anomaly', async () => {
    const res = await runCli(['conformance', 'kafka', '--jepsen', '--target', 'reference', '--out', out, '--json'], { timeoutMs: 280_000 });
    expect(res.code, res.stderr.slice(-2000)).toBe(0);
    const report = JSON.parse(res.stdout) as { exitCode: number; outcomes: { name: string; verdict: string; detail: string }[] };
    expect(report.outcomes.map((o) => [o.name, o.verdict])).toEqual([
      ['kafka-queue reference', 'passed'],
      ['kafka-queue reference lost-ack', 'passed'],
      ['kafka-queue reference dup-append', 'passed'],
      ['kafka-queue reference disk flush-messages=1', 'passed'],
      ['kafka-txn-copy reference clock', 'passed'],
    ]);
    expect(report.outcomes[1]!.detail).toContain('lost-write');
    expect(report.outcomes[2]!.detail).toContain('duplicate');
  });

  it('refuses an unknown target and still needs a system without --jepsen', async () => {
    const bad = await runCli(['conformance', 'kafka', '--jepsen', '--target', 'staging']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("'reference' or 'apache'");
    const noSystem = await runCli(['conformance', '--target', 'reference']);
    expect(noSystem.code).toBe(2);
    expect(noSystem.stderr).toContain('needs a system');
  });
});
