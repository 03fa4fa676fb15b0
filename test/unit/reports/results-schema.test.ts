import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseResults, readResultsFile, writeResultsFile } from '../../../reports/results-file.js';
import { ResultsSchema, type Results } from '../../../reports/results-schema.js';
import { buildFixtureResults } from './fixture-results.js';

let fixture: Results;
let dir: string;

beforeAll(async () => {
  fixture = (await buildFixtureResults()).results;
  dir = await mkdtemp(join(tmpdir(), 'kz-results-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const clone = (): Results => structuredClone(fixture);

describe('results.json schema', () => {
  it('accepts what the runner assembles, with every required section', () => {
    expect(ResultsSchema.safeParse(fixture).success).toBe(true);
    expect(fixture.runs.map((r) => r.id)).toEqual([
      'apache / kzbench-pipelined / get',
      'apache / kzbench-pipelined / create',
      'reference / kzbench-pipelined / get',
      'reference / kzbench-pipelined / create',
    ]);
    const run = fixture.runs[0]!;
    expect(run.latency.unit).toBe('us');
    expect(run.latency.intended!.histogram).toMatch(/^HISTF/);
    expect(run.series.length).toBeGreaterThanOrEqual(12);
    expect(fixture.nemesis).toEqual([{ fault: 'pause', start: 7, end: 8.2, nodes: ['n2'] }]);
    expect(fixture.comparisons.some((c) => c.axis === 'implementation' && c.metric === 'okPerSecond')).toBe(true);
  });

  it('writes and reads back the same document, from a directory or the file itself', async () => {
    const path = await writeResultsFile(join(dir, 'run1'), fixture);
    expect(path).toBe(join(dir, 'run1', 'results.json'));
    expect((await readResultsFile(join(dir, 'run1'))).results).toEqual(fixture);
    expect((await readResultsFile(path)).results).toEqual(fixture);
    expect(JSON.parse(await readFile(path, 'utf8')).format).toBe('kzbench.results');
  });

  it.each([
    ['a negative count', (r: Results) => (r.runs[0]!.counts.ok = -1), /runs\[0\]\.counts\.ok/],
    ['a histogram that is not HdrHistogram base64', (r: Results) => (r.runs[0]!.latency.service.histogram = 'not-a-histogram'), /base64 HdrHistogram/],
    ['an unknown latency unit', (r: Results) => ((r.runs[0]!.latency as { unit: string }).unit = 'ms'), /unit/],
    ['a duplicate run id', (r: Results) => (r.runs[1]!.id = r.runs[0]!.id), /duplicate run id/],
    ['a comparison of an unknown run', (r: Results) => (r.comparisons[0]!.candidate = 'ghost'), /unknown run id 'ghost'/],
    ['a verdict that is not true/false/unknown', (r: Results) => ((r.checks[0] as { valid: unknown }).valid = 'maybe'), /checks\[0\]\.valid/],
    ['a NaN quantile', (r: Results) => (r.runs[0]!.latency.service.p99 = Number.NaN), /p99/],
    ['a newer format version', (r: Results) => ((r as { version: number }).version = 2), /version/],
  ])('rejects %s with a message naming the field', (_name, mutate, message) => {
    const bad = clone();
    mutate(bad);
    expect(() => parseResults(bad, 'bad.json')).toThrow(message);
    try {
      parseResults(bad, 'bad.json');
    } catch (err) {
      expect(err).toMatchObject({ code: 'KZ_RESULTS_INVALID', exitCode: 2 });
    }
  });

  it('says plainly when a file is not results at all, not JSON, or missing', async () => {
    const notResults = join(dir, 'target.json');
    await writeFile(notResults, JSON.stringify({ system: 'zookeeper', nodes: [] }));
    await expect(readResultsFile(notResults)).rejects.toThrow(/not a kzbench results file/);
    const garbage = join(dir, 'garbage.json');
    await writeFile(garbage, '{"format": "kzbench.results", ');
    await expect(readResultsFile(garbage)).rejects.toMatchObject({ code: 'KZ_RESULTS_INVALID', message: expect.stringMatching(/not JSON/) });
    await expect(readResultsFile(join(dir, 'nowhere'))).rejects.toMatchObject({ code: 'KZ_RESULTS_UNREADABLE', exitCode: 2 });
    const emptyDir = await mkdtemp(join(dir, 'empty-'));
    await expect(readResultsFile(emptyDir)).rejects.toThrow(/results\.json: not found/);
  });
});
