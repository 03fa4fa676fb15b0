import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRunOutputs } from '../../reports/report-outputs.js';
import { buildFixtureResults } from '../unit/reports/fixture-results.js';
import { chromiumMissingReason, inspectReport } from '../unit/reports/report-browser.js';
import { repoRoot } from '../support/cli.js';

const missing = chromiumMissingReason();
if (missing) console.warn(`skipping report screenshot test: ${missing}`);

/** Screenshots are kept for people (and CI artifacts) under reports/out/screenshots/. */
const screenshotDir = process.env.KZBENCH_SCREENSHOT_DIR ?? join(repoRoot, 'reports', 'out', 'screenshots');

describe.skipIf(missing !== null)('report in headless Chromium', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kz-report-shot-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('draws every chart with data, logs no errors, fetches nothing, and saves a PNG', async () => {
    const { results, historyText } = await buildFixtureResults();
    await writeFile(join(dir, 'history.jsonl'), historyText);
    const { reportPath } = await writeRunOutputs(dir, results);
    const png = join(screenshotDir, 'report-fixture.png');
    const seen = await inspectReport(reportPath, png);

    expect(seen.errors).toEqual([]);
    expect(seen.title).toBe(results.title);
    expect(seen.charts.map((c) => c.id)).toEqual([
      'get-throughput',
      'get-latency',
      'get-spectrum-intended',
      'get-spectrum-service',
      'create-throughput',
      'create-latency',
      'create-spectrum-intended',
      'create-spectrum-service',
    ]);
    for (const chart of seen.charts) {
      expect(chart.hasCanvas, chart.id).toBe(true);
      expect(chart.inkPixels, chart.id).toBeGreaterThan(2000);
      // Both implementations' lines are on every chart.
      expect(chart.seriesPixels, chart.id).toBeGreaterThan(100);
    }
    const bytes = await readFile(png);
    expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(bytes.length).toBeGreaterThan(50_000);
  });

  it('draws a closed-loop, single-implementation report too', async () => {
    const { results } = await buildFixtureResults({ checks: false, withHistory: false });
    results.runs = results.runs.filter((r) => r.implementation === 'reference');
    results.comparisons = [];
    results.config = { ...results.config, mode: 'closed', rate: null, arrival: null };
    for (const r of results.runs) {
      r.mode = 'closed';
      r.latency.intended = null;
      r.latency.startDelay = null;
      for (const p of r.series) p.intended = null;
    }
    const sub = join(dir, 'closed');
    const { reportPath } = await writeRunOutputs(sub, results);
    const seen = await inspectReport(reportPath, join(screenshotDir, 'report-closed-loop.png'));
    expect(seen.errors).toEqual([]);
    expect(seen.charts).toHaveLength(6);
    for (const chart of seen.charts) expect(chart.inkPixels, chart.id).toBeGreaterThan(2000);
    // Only the reference colour (the first palette entry) is drawn.
    expect(seen.charts.every((c) => c.seriesPixels > 50)).toBe(true);
  });
});
