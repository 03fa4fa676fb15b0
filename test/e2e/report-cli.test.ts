import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeResultsFile } from '../../reports/results-file.js';
import type { Results } from '../../reports/results-schema.js';
import { runCli } from '../support/cli.js';
import { buildFixtureResults } from '../unit/reports/fixture-results.js';

describe('kzbench report', () => {
  let root: string;
  let results: Results;
  let historyText: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'kz-report-cli-'));
    ({ results, historyText } = await buildFixtureResults());
    await writeResultsFile(join(root, 'main'), results);
    await writeFile(join(root, 'main', 'history.jsonl'), historyText);
    const branch: Results = structuredClone(results);
    for (const r of branch.runs) r.throughput.okPerSecond *= 2;
    branch.history = null;
    await writeResultsFile(join(root, 'branch'), branch);
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('renders one results directory into report.html beside results.json', async () => {
    const res = await runCli(['report', join(root, 'main')]);
    expect(res.stderr).not.toMatch(/ERROR/);
    expect(res.code).toBe(0);
    const out = join(root, 'main', 'report.html');
    expect(res.stdout.trim()).toBe(out);
    const html = await readFile(out, 'utf8');
    expect(html).toContain(`<title>${results.title}</title>`);
    expect(html).toContain(results.runs[0]!.latency.intended!.histogram);
    // The fixture's history is larger than the embedding limit: linked, not embedded.
    expect(historyText.length).toBeGreaterThan(512 * 1024);
    expect(html).toContain('<a href="history.jsonl">history.jsonl</a>');
  });

  it('compares several directories side by side into --out, and prints JSON with --json', async () => {
    const out = join(root, 'compare', 'cmp.html');
    const res = await runCli(['report', join(root, 'main'), join(root, 'branch'), '--out', out, '--json']);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual({ report: out });
    const html = await readFile(out, 'utf8');
    expect(html).toContain('Comparison: main vs branch');
    expect(html).toMatch(/branch · apache: 2\.00× the throughput/);
    expect(html).toContain('<a href="../main/history.jsonl">history.jsonl</a>');
  });

  it('refuses an invalid results file with exit 2, naming the problem, and writes nothing', async () => {
    const bad = join(root, 'bad');
    await mkdir(bad);
    const broken = structuredClone(results) as unknown as { runs: Array<{ counts: { ok: number } }> };
    broken.runs[0]!.counts.ok = -3;
    await writeFile(join(bad, 'results.json'), JSON.stringify(broken));
    const res = await runCli(['report', bad]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/not a valid results file/);
    expect(res.stderr).toMatch(/runs\[0\]\.counts\.ok/);
    expect(res.stderr).toMatch(/KZ_RESULTS_INVALID/);
    expect(existsSync(join(bad, 'report.html'))).toBe(false);
  });

  it('says what to pass when the directory does not exist', async () => {
    const res = await runCli(['report', join(root, 'nope')]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/no such results directory.*--out directory of 'kzbench run'/);
  });
});
