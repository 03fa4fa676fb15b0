import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readResultsFile } from '../../reports/results-file.js';
import { startZooKeeperServer } from '../../servers/zookeeper/index.js';
import { ZooKeeperClient } from '../../workloads/clients/zookeeper/index.js';
import { runCli } from '../support/cli.js';

/**
 * `kzbench run <hot path> --target reference` end to end from the build: the run starts the
 * reference server, drives a tiny load through the runner, stops the server, and leaves
 * results.json (valid against the schema), history.jsonl and report.html. Counts only, never
 * timing. TMPDIR points into the test's own directory, so the started cluster's directory is
 * checked gone afterwards.
 */
describe('kzbench run hot paths against a reference target', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'kz-e2e-run-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function run(name: string, args: string[]) {
    const out = join(root, name);
    const tmp = join(root, `${name}-tmp`);
    await mkdir(tmp, { recursive: true });
    const res = await runCli(['run', ...args, '--out', out, '--json'], { env: { TMPDIR: tmp }, timeoutMs: 240_000 });
    return { res, out, tmp };
  }

  async function expectOutputs(out: string) {
    const results = (await readResultsFile(out)).results;
    const history = (await readFile(join(out, 'history.jsonl'), 'utf8')).trim().split('\n');
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    expect(results.history).toMatchObject({ file: 'history.jsonl', ops: history.length });
    return { results, history: history.map((l) => JSON.parse(l) as { type: string; f: string; process: number }) };
  }

  it('zk-hotpath: create, setData and getData are all counted, closed loop', { timeout: 300_000 }, async () => {
    const { res, out, tmp } = await run('zk', ['zk-hotpath', '--target', 'reference', '--duration', '1', '--warmup', '0.5', '--clients', '2', '--in-flight', '8']);
    expect(res.code, res.stderr).toBe(0);
    const { results, history } = await expectOutputs(out);
    expect(results.config).toMatchObject({ workload: 'zk-hotpath', mode: 'closed', rate: null, clients: 2, inFlight: 8, target: { system: 'zookeeper', impl: 'reference' } });
    expect(results.config.settings).toMatchObject({ valueBytes: 100 });
    expect(results.runs.map((r) => r.op).sort()).toEqual(['create', 'getData', 'setData']);
    for (const run of results.runs) {
      expect(run.id).toBe(`reference / kzbench / ${run.op}`);
      expect(run.counts.ok).toBeGreaterThan(0);
      expect(run.counts.fail + run.counts.info).toBe(0);
      expect(run.latency.intended).toBeNull();
      expect(run.latency.service.count).toBe(run.counts.ok);
    }
    // Every op invoked is completed, warm-up included.
    const invokes = history.filter((o) => o.type === 'invoke').length;
    expect(history.filter((o) => o.type === 'ok').length).toBe(invokes);
    expect(invokes).toBeGreaterThanOrEqual(results.runs.reduce((n, r) => n + r.counts.ok, 0));
    expect(JSON.parse(res.stdout)).toMatchObject({ exitCode: 0, results: join(out, 'results.json') });
    // The started server is gone with its directory.
    expect((await readdir(tmp)).filter((d) => d.startsWith('kzbench-zookeeper-reference-'))).toEqual([]);
  });

  it('zk-hotpath against a target.json it did not start: the server keeps running and the run removes what it created', { timeout: 300_000 }, async () => {
    const server = await startZooKeeperServer({ dataDir: join(root, 'zk-external-data') });
    try {
      const targetFile = join(root, 'zk-external-target.json');
      await writeFile(targetFile, JSON.stringify({ system: 'zookeeper', impl: 'reference', version: 'in-process', launcher: 'external', nodes: [{ id: 1, host: server.host, port: server.port }] }));
      const { res, out } = await run('zk-external', ['zk-hotpath', '--target', targetFile, '--duration', '1', '--warmup', '0', '--clients', '2', '--in-flight', '8', '--set', 'keys=20']);
      expect(res.code, res.stderr).toBe(0);
      const { results } = await expectOutputs(out);
      expect(results.config.target).toMatchObject({ impl: 'reference', version: 'in-process' });
      expect((results.config.extra as { znodesCreated: number }).znodesCreated).toBeGreaterThan(0);
      const client = await ZooKeeperClient.connect({ hosts: server.connectString });
      try {
        expect((await client.getChildren('/')).filter((c) => c.startsWith('kzbench-hotpath-'))).toEqual([]);
      } finally {
        await client.close();
      }
    } finally {
      await server.close();
    }
  });

  it('kafka-hotpath: open-loop produce at a rate, every record acknowledged', { timeout: 300_000 }, async () => {
    const { res, out, tmp } = await run('kafka', ['kafka-hotpath', '--target', 'reference', '--rate', '200', '--duration', '1', '--warmup', '0.5', '--set', 'record-size=256', '--set', 'acks=1']);
    expect(res.code, res.stderr).toBe(0);
    const { results, history } = await expectOutputs(out);
    expect(results.config).toMatchObject({ workload: 'kafka-hotpath', mode: 'open', rate: 200, arrival: 'uniform' });
    expect(results.config.settings).toMatchObject({ recordBytes: 256, acks: '1' });
    expect(results.runs).toHaveLength(1);
    const [runResult] = results.runs;
    expect(runResult!.op).toBe('produce');
    // 200 ops/s for 1 s: every scheduled arrival is counted as ok, dropped, or failed.
    const c = runResult!.counts;
    expect(c.ok + c.fail + c.info + c.dropped).toBe(200);
    expect(c.ok).toBeGreaterThan(0);
    expect(runResult!.latency.intended!.count).toBe(c.ok + c.fail + c.info);
    // Acknowledged produces carry their offset; offsets are distinct.
    const offsets = history.filter((o) => o.type === 'ok').map((o) => (o as unknown as { value: number }).value);
    expect(new Set(offsets).size).toBe(offsets.length);
    expect((results.config.extra as { recordsAcked: number }).recordsAcked).toBe(offsets.length);
    expect((await readdir(tmp)).filter((d) => d.startsWith('kzbench-kafka-reference-'))).toEqual([]);
  });

  it('kafka-hotpath with fetch=true measures end to end: every produced record is fetched back', { timeout: 300_000 }, async () => {
    const { res, out } = await run('e2e', ['kafka-hotpath', '--target', 'reference', '--duration', '1', '--warmup', '0', '--in-flight', '16', '--set', 'fetch=true']);
    expect(res.code, res.stderr).toBe(0);
    const { results } = await expectOutputs(out);
    expect(results.runs.map((r) => r.op)).toEqual(['e2e']);
    const extra = results.config.extra as { recordsAcked: number; recordsFetched: number };
    expect(results.runs[0]!.counts.ok).toBeGreaterThan(0);
    // An e2e op completes only once its record was fetched.
    expect(extra.recordsFetched).toBeGreaterThanOrEqual(results.runs[0]!.counts.ok);
  });
});
