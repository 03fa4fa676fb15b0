import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/logger.js';
import type { ConformanceReport } from '../../workloads/conformance/conformance-result.js';
import { startApacheKafka } from '../../workloads/conformance/kafka/apache-target.js';
import { defaultScenarioDirectory } from '../../workloads/conformance/scenario-directory.js';
import type { StartedTarget } from '../../workloads/conformance/target-spec.js';
import { cachedApache } from '../integration/launchers/cached-apache.js';
import { runCli } from '../support/cli.js';

const version = '3.9.2';
const { dist, reason } = await cachedApache('kafka', version);
if (!dist) console.warn(`skipping kzbench conformance kafka against Apache ${version}: ${reason}`);

describe('kzbench conformance kafka: usage', () => {
  it('exits 2 without a target and on a broken scenario file, naming the line', async () => {
    const missing = await runCli(['conformance', 'kafka']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('KZ_TARGET_MISSING');
    const dir = await mkdtemp(join(tmpdir(), 'kz-conf-kafka-bad-'));
    try {
      await writeFile(join(dir, 'broken.yaml'), 'scenarios:\n  - name: s\n    steps:\n      - api: Metadata\n        body: { topix: [] }\n');
      const broken = await runCli(['conformance', 'kafka', '--target', 'reference', '--scenarios', dir]);
      expect(broken.code).toBe(2);
      expect(broken.stderr).toContain(`${join(dir, 'broken.yaml')}:5:24: scenarios.0.steps.0.body.topix: no field topix here`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!dist)(`kzbench conformance kafka against Apache Kafka ${version} and the reference broker`, () => {
  let apache: StartedTarget;
  let dir: string;
  let targetFile: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kz-conf-kafka-e2e-'));
    // One Apache broker for the whole file: a JVM start takes long on two cores.
    apache = await startApacheKafka(version, silentLogger);
    targetFile = join(dir, 'target.json');
    await writeFile(targetFile, JSON.stringify(apache.target));
  }, 300_000);
  afterAll(async () => {
    await apache?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('passes a subset of the suite on Apache, one plain line per scenario', { timeout: 300_000 }, async () => {
    const res = await runCli(['conformance', 'kafka', '--target', targetFile, '--filter', 'produce/acks-*,fetch/*,groups/join-needs-member-id,idempotence/duplicates-and-gaps,transactions/abort-and-read-committed'], { timeoutMs: 280_000 });
    expect(res.code, res.stdout + res.stderr).toBe(0);
    const lines = res.stdout.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('PASS ')).length).toBe(15);
    expect(lines.at(-1)).toBe(`kafka conformance on ${targetFile} (apache ${version}): 15 scenarios passed, 0 failed, 0 skipped`);
    expect(res.stdout).not.toContain('\u001b[');
  });

  it('fails (exit 3) on a wrong expectation and says which step, which field and why', { timeout: 120_000 }, async () => {
    const scenarios = join(dir, 'wrong');
    await mkdir(scenarios);
    await writeFile(
      join(scenarios, 'wrong.yaml'),
      `scenarios:
  - name: off-by-one
    topics: { t: {} }
    steps:
      - api: Produce
        body: { acks: -1, timeoutMs: 30000, topicData: [{ name: $t, partitionData: [{ index: 0, records: { records: [a, b] } }] }] }
        save: p
      - api: ListOffsets
        body: { replicaId: -1, isolationLevel: 0, topics: [{ name: $t, partitions: [{ partitionIndex: 0, timestamp: -1 }] }] }
        expect: { topics: [{ partitions: [{ errorCode: NONE, offset: "== $p.baseOffset + 3" }] }] }
`,
    );
    const res = await runCli(['conformance', 'kafka', '--target', targetFile, '--scenarios', scenarios]);
    expect(res.code).toBe(3);
    expect(res.stdout).toContain('FAIL wrong/off-by-one');
    expect(res.stdout).toContain('step 2 ListOffsets (a): topics[0].partitions[0].offset: 2 is not == $p.baseOffset + 3 (3)');
  });

  it('--diff: the reference broker and Apache agree where both behave alike, and the diff names the field where they do not', { timeout: 300_000 }, async () => {
    // old/fetch-v3: the reference broker deliberately serves Fetch from v4 (no down-conversion to
    // message format v0/v1, docs/deliberate-differences.md) and closes the connection; Apache 3.9 answers.
    const suite = join(dir, 'diff-suite');
    await mkdir(suite);
    for (const file of ['produce', 'idempotence', 'transactions', 'groups']) {
      await copyFile(join(defaultScenarioDirectory('kafka'), `${file}.yaml`), join(suite, `${file}.yaml`));
    }
    await writeFile(
      join(suite, 'old.yaml'),
      `scenarios:
  - name: fetch-v3
    topics: { t: {} }
    steps:
      - api: Fetch
        version: 3
        body: { maxWaitMs: 0, minBytes: 0, maxBytes: 1048576, topics: [{ topic: $t, partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1048576 }] }] }
`,
    );
    const res = await runCli(
      ['conformance', 'kafka', '--target', targetFile, '--diff', 'reference', '--scenarios', suite, '--filter', 'produce/acks-all,idempotence/duplicates-and-gaps,transactions/commit,groups/join-needs-member-id,old/fetch-v3', '--json'],
      { timeoutMs: 280_000 },
    );
    expect(res.code, res.stderr).toBe(3);
    const report = JSON.parse(res.stdout) as ConformanceReport;
    expect(report.mode).toBe('diff');
    expect(report.targets.map((t) => [t.impl, t.version])).toEqual([
      ['apache', version],
      ['reference', version],
    ]);
    const byName = new Map(report.scenarios.map((s) => [s.name, s]));
    for (const name of ['produce/acks-all', 'idempotence/duplicates-and-gaps', 'transactions/commit', 'groups/join-needs-member-id']) {
      expect(byName.get(name)!.runs[0]!.status, name).toBe('pass');
      expect(byName.get(name)!.mismatches, name).toEqual([]);
    }
    const old = byName.get('old/fetch-v3')!;
    expect(old.runs[0]!.status).toBe('pass');
    // Apache answers (a response, no `closed`); the reference broker closes the connection (no response).
    expect(old.mismatches).toEqual([
      { step: 0, label: 'Fetch v3 (a)', path: 'response', left: { responses: [{ topic: '$t', partitions: [{ partitionIndex: 0, errorCode: 'NONE', highWatermark: 0, records: { batches: [] } }] }] } },
      { step: 0, label: 'Fetch v3 (a)', path: 'closed', right: true },
    ]);
  });
});
