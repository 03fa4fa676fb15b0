import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchmarkActionEntries, type BenchmarkActionEntry } from '../../../reports/benchmark-action-json.js';
import { writeBenchOutputs } from '../../../reports/report-outputs.js';
import { readResultsFile } from '../../../reports/results-file.js';
import type { Results } from '../../../reports/results-schema.js';
import { buildFixtureResults } from './fixture-results.js';

let results: Results;
let dir: string;

beforeAll(async () => {
  results = (await buildFixtureResults({ checks: false, withHistory: false })).results;
  dir = await mkdtemp(join(tmpdir(), 'kz-bench-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('github-action-benchmark JSON', () => {
  it('publishes throughput as bigger-is-better and p50/p99 as smaller-is-better, with stable names', () => {
    const files = benchmarkActionEntries([{ name: 'zookeeper', results }]);
    expect(files.biggerIsBetter).toHaveLength(results.runs.length);
    expect(files.smallerIsBetter).toHaveLength(results.runs.length * 2);
    const run = results.runs[0]!;
    expect(files.biggerIsBetter[0]).toEqual({
      name: 'zookeeper: apache / kzbench-pipelined / get throughput',
      unit: 'ops/s',
      value: run.throughput.okPerSecond,
      extra: expect.stringContaining(`ok ${run.counts.ok}`),
    });
    expect(files.smallerIsBetter[0]).toMatchObject({ name: 'zookeeper: apache / kzbench-pipelined / get p50 latency', unit: 'us', value: run.latency.intended!.p50 });
    expect(files.smallerIsBetter[1]).toMatchObject({ name: 'zookeeper: apache / kzbench-pipelined / get p99 latency', value: run.latency.intended!.p99 });
    for (const e of [...files.biggerIsBetter, ...files.smallerIsBetter]) {
      expect(Object.keys(e).every((k) => ['name', 'unit', 'value', 'range', 'extra'].includes(k))).toBe(true);
      expect(Number.isFinite(e.value)).toBe(true);
    }
  });

  it('gives a range from repetitions', () => {
    const repeated: Results = structuredClone(results);
    repeated.runs[0]!.repetitions = [
      { okPerSecond: 90, p50: 100, p99: 1000 },
      { okPerSecond: 110, p50: 100, p99: 1000 },
    ];
    const files = benchmarkActionEntries([{ name: 's', results: repeated }]);
    expect(files.biggerIsBetter[0]!.range).toBe('± 10.0%');
    expect(files.smallerIsBetter[0]!.range).toBe('± 0.0%');
  });
});

describe('writeBenchOutputs', () => {
  it('writes each suite, an index linking them, and the action files', async () => {
    const slower: Results = structuredClone(results);
    slower.title = 'kafka suite';
    const out = await writeBenchOutputs(dir, [
      { name: 'zookeeper', results },
      { name: 'kafka hot path', results: slower },
    ]);
    expect(out.suites.map((s) => s.reportPath)).toEqual([join(dir, 'zookeeper', 'report.html'), join(dir, 'kafka_hot_path', 'report.html')]);
    expect((await readResultsFile(join(dir, 'zookeeper'))).results).toEqual(results);
    const index = await readFile(out.index, 'utf8');
    expect(index).toContain('<a href="zookeeper/report.html">full report</a>');
    expect(index).toContain('<a href="kafka_hot_path/report.html">full report</a>');
    expect(index).toContain('id="suite-kafka_hot_path"');
    // Each suite draws its own charts under its own ids.
    expect(index).toContain('id="s0-get-throughput"');
    expect(index).toContain('id="s1-create-spectrum-service"');
    expect(index).toMatch(/get throughput: (apache|reference): [\d.]+× the throughput/);
    const bigger = JSON.parse(await readFile(out.benchmarkAction.biggerIsBetter, 'utf8')) as BenchmarkActionEntry[];
    expect(bigger.map((e) => e.name)).toContain('kafka hot path: reference / kzbench-pipelined / create throughput');
    const smaller = JSON.parse(await readFile(out.benchmarkAction.smallerIsBetter, 'utf8')) as BenchmarkActionEntry[];
    expect(smaller.every((e) => e.unit === 'us')).toBe(true);
  });
});
