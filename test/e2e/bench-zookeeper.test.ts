import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readResultsFile } from '../../reports/results-file.js';
import { runCli } from '../support/cli.js';

/**
 * A tiny `kzbench bench --suite zookeeper` against the reference server only (fast; Apache
 * is compared in `npm run bench`, not in tests): the three results documents, the client
 * comparison with CPU per op, and thresholds. Counts and exit codes only, never timing: the
 * breached threshold (`<0`) cannot hold for any measured throughput.
 */
describe('kzbench bench --suite zookeeper,admin --impl reference (tiny)', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'kz-e2e-bench-zk-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('writes throughput, latency, clients and admin results, and exits 4 only for the breached threshold', { timeout: 300_000 }, async () => {
    const out = join(root, 'out');
    const tmp = join(root, 'tmp');
    await mkdir(tmp);
    const res = await runCli(
      [
        'bench', '--suite', 'zookeeper,admin', '--impl', 'reference', '--quick', '--duration', '0.5', '--warmup', '0', '--repeat', '1', '--zookeeper-rate', '200', '--out', out,
        '--threshold', 'zookeeper.getData.throughput.reference>0',
        '--threshold', 'zookeeper.create.throughput.reference<0',
        '--threshold', 'zookeeper.getData.p99.apache<5ms',
        '--json',
      ],
      { env: { TMPDIR: tmp }, timeoutMs: 280_000 },
    );
    expect(res.code, res.stderr).toBe(4);
    const summary = JSON.parse(res.stdout) as { thresholds: Array<{ threshold: string; passed: boolean | null }>; suites: Array<{ name: string }> };
    expect(summary.thresholds.map((t) => t.passed)).toEqual([true, false, null]);
    expect(summary.suites.map((s) => s.name)).toEqual(['zookeeper-throughput', 'zookeeper-latency', 'zookeeper-clients', 'admin']);

    const throughput = (await readResultsFile(join(out, 'zookeeper-throughput'))).results;
    expect(throughput.config).toMatchObject({ workload: 'zk-hotpath', mode: 'closed' });
    expect(throughput.runs.map((r) => r.id)).toEqual(['reference / kzbench / create', 'reference / kzbench / setData', 'reference / kzbench / getData']);
    for (const r of throughput.runs) expect(r.counts.ok, r.id).toBeGreaterThan(0);
    // Apache was not asked for: no ratios, no skip note.
    expect(throughput.comparisons).toEqual([]);
    expect(throughput.environment.implementations.map((i) => i.name)).toEqual(['reference']);
    expect(throughput.environment.loadAverage).toHaveLength(3);

    const latency = (await readResultsFile(join(out, 'zookeeper-latency'))).results;
    expect(latency.config).toMatchObject({ mode: 'open' });
    expect(latency.config.rate).toBeLessThanOrEqual(200);
    for (const r of latency.runs) {
      expect(r.latency.intended).not.toBeNull();
      expect(r.counts.ok + r.counts.fail + r.counts.info + r.counts.dropped).toBe(Math.ceil(latency.config.rate! * 0.5));
    }

    const clients = (await readResultsFile(join(out, 'zookeeper-clients'))).results;
    expect(clients.runs.map((r) => r.id).sort()).toEqual(['reference / kzbench / getData-4-sessions', 'reference / node-zookeeper-client / getData-4-sessions']);
    const cpu = clients.config.extra!.clientCpuMicrosPerOp as Record<string, number>;
    expect(Object.keys(cpu).sort()).toEqual(clients.runs.map((r) => r.id).sort());
    // Ratios of our client against node-zookeeper-client, the baseline.
    expect(clients.comparisons.find((c) => c.metric === 'okPerSecond')).toMatchObject({ axis: 'client', baseline: 'reference / node-zookeeper-client / getData-4-sessions' });

    // The reference server's AdminServer, driven by autocannon.
    const admin = (await readResultsFile(join(out, 'admin'))).results;
    expect(admin.runs.map((r) => r.id)).toEqual(['reference / autocannon / mntr', 'reference / autocannon / stat']);
    for (const r of admin.runs) {
      expect(r.counts.ok, r.id).toBeGreaterThan(0);
      expect(r.counts.fail, r.id).toBe(0);
      expect(r.latency.service.count).toBe(r.counts.ok);
    }

    const index = await readFile(join(out, 'index.html'), 'utf8');
    for (const name of ['zookeeper-throughput', 'zookeeper-latency', 'zookeeper-clients']) expect(index).toContain(`${name}/report.html`);
    const bigger = JSON.parse(await readFile(join(out, 'benchmark-action', 'bigger-is-better.json'), 'utf8')) as Array<{ name: string }>;
    expect(bigger.map((e) => e.name)).toContain('zookeeper-throughput: reference / kzbench / create throughput');
    const smaller = JSON.parse(await readFile(join(out, 'benchmark-action', 'smaller-is-better.json'), 'utf8')) as Array<{ name: string; unit: string }>;
    expect(smaller.find((e) => e.name === 'zookeeper-clients: reference / kzbench / getData-4-sessions client CPU')).toMatchObject({ unit: 'us/op' });
    // The server the bench started is gone.
    expect((await readdir(tmp)).filter((d) => d.startsWith('kzbench-'))).toEqual([]);
  });

  it('a threshold that does not parse is a usage error before anything starts', async () => {
    const res = await runCli(['bench', '--suite', 'zookeeper', '--out', join(root, 'bad'), '--threshold', 'zookeeper.create.speed.reference>1']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("unknown metric 'speed'");
  });
});
