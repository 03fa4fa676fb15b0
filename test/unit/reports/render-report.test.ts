import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChartSpec } from '../../../reports/chart-specs.js';
import { renderComparisonReport, renderResultsReport } from '../../../reports/render-report.js';
import type { Results } from '../../../reports/results-schema.js';
import { registerCheckerView } from '../../../reports/views/checker-views.js';
import { buildFixtureResults } from './fixture-results.js';

const uplotDist = join(dirname(createRequire(import.meta.url).resolve('uplot/package.json')), 'dist');

let results: Results;
let historyText: string;
let html: string;

function chartSpecs(page: string): ChartSpec[] {
  const m = /<script type="application\/json" id="kz-charts">([\s\S]*?)<\/script>/.exec(page);
  expect(m).not.toBeNull();
  return JSON.parse(m![1]!) as ChartSpec[];
}

beforeAll(async () => {
  ({ results, historyText } = await buildFixtureResults());
  html = renderResultsReport({ label: 'fixture', results, history: { embedded: historyText } });
});

describe('renderResultsReport', () => {
  it('is one self-contained file: uPlot and its stylesheet inlined, nothing fetched', () => {
    const uplot = readFileSync(join(uplotDist, 'uPlot.iife.min.js'), 'utf8');
    const css = readFileSync(join(uplotDist, 'uPlot.min.css'), 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain(uplot.slice(0, 200));
    expect(html).toContain(uplot.slice(-200));
    expect(html).toContain(css);
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+href=/);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('puts the verdicts first, then the numbers, and shows each checker verdict and anomaly', () => {
    const order = ['id="verdicts"', 'id="results"', 'id="comparison"', 'id="charts"', 'id="histograms"', 'id="configuration"', 'id="history"'].map((s) => html.indexOf(s));
    expect(order.every((i) => i > 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(html).toContain('1 of 2 checks found a violation.');
    expect(html).toMatch(/class="verdict valid">[\s\S]*?VALID[\s\S]*?linearizability/);
    expect(html).toMatch(/class="verdict invalid">[\s\S]*?INVALID[\s\S]*?zookeeper-session/);
    expect(html).toContain('stale-ephemeral');
    expect(html).toContain('812, 990, 1004');
  });

  it('shows the numbers from results.json in the tables', () => {
    const get = results.runs.find((r) => r.implementation === 'reference' && r.op === 'get')!;
    expect(html).toContain(get.counts.ok.toLocaleString('en-US'));
    expect(html).toContain(`${Math.round(get.latency.intended!.p50)} µs`);
    expect(html).toContain('Read the numbers with these in mind');
    expect(html).toContain(results.notes[0]!.split(':')[0]!);
    // Comparison rows name the winner.
    expect(html).toMatch(/reference: \d\.\d\d× lower/);
  });

  it('inlines chart data for every op: throughput, latency over time with the fault band, and both spectra', () => {
    const specs = chartSpecs(html);
    expect(specs.map((s) => s.id)).toEqual([
      'get-throughput',
      'get-latency',
      'get-spectrum-intended',
      'get-spectrum-service',
      'create-throughput',
      'create-latency',
      'create-spectrum-intended',
      'create-spectrum-service',
    ]);
    const throughput = specs[0]!;
    const apacheGet = results.runs.find((r) => r.implementation === 'apache' && r.op === 'get')!;
    const apacheOk = throughput.series.find((s) => s.label === 'apache ok')!;
    // One value per interval, plus the closing point that gives the last step its width.
    expect(apacheOk.values).toEqual([...apacheGet.series.map((p) => p.ok), apacheGet.series.at(-1)!.ok]);
    expect(throughput.x).toEqual([...apacheGet.series.map((p) => p.t), apacheGet.series.at(-1)!.t + 1]);
    expect(throughput.stepped).toBe(true);
    expect(throughput.bands).toEqual([{ start: 7, end: 8.2, label: 'pause n2' }]);
    expect(specs[1]!.yLog).toBe(true);
    const spectrum = specs[2]!;
    expect(spectrum.kind).toBe('spectrum');
    expect(spectrum.x[0]).toBe(0);
    // Spectra rise monotonically and end at the recorded maximum (to the histogram's 0.1% precision).
    for (const s of spectrum.series) {
      const values = s.values.filter((v): v is number => v !== null);
      expect(values).toEqual([...values].sort((a, b) => a - b));
      const run = results.runs.find((r) => r.op === 'get' && r.implementation === s.label)!;
      expect(values.at(-1)! / run.latency.intended!.max).toBeCloseTo(1, 2);
    }
    for (const id of specs.map((s) => s.id)) expect(html).toContain(`<div class="chart" id="${id}"></div>`);
  });

  it('embeds the base64 HdrHistograms and the history download', () => {
    for (const run of results.runs) {
      expect(html).toContain(run.latency.intended!.histogram);
      expect(html).toContain(run.latency.service.histogram);
    }
    const m = /href="data:application\/x-ndjson;base64,([A-Za-z0-9+/=]+)"/.exec(html);
    expect(Buffer.from(m![1]!, 'base64').toString('utf8')).toBe(historyText);
  });

  it('links a large history instead of embedding it, and says where it is when there is no link', () => {
    const linked = renderResultsReport({ label: 'x', results, history: { href: 'history.jsonl' } });
    expect(linked).toContain('<a href="history.jsonl">history.jsonl</a>');
    expect(renderResultsReport({ label: 'x', results })).toContain('<code>history.jsonl</code>');
    expect(renderResultsReport({ label: 'x', results: { ...results, history: null } })).not.toContain('id="history"');
  });

  it('escapes everything that comes from the results file', () => {
    const hostile: Results = structuredClone(results);
    hostile.title = '</script><img src=x onerror=alert(1)>';
    hostile.runs[0]!.implementation = '<b>impl</b>';
    hostile.checks[0]!.summary = '<script>alert(1)</script>';
    const page = renderResultsReport({ label: 'x', results: hostile });
    expect(page).not.toContain('<img src=x');
    expect(page).not.toContain('<b>impl</b>');
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).toContain('&#60;/script&#62;&#60;img src=x onerror=alert(1)&#62;');
    // The chart JSON block cannot be closed early by a label.
    expect(chartSpecs(page).some((s) => s.series.some((x) => x.label.startsWith('<b>impl</b>')))).toBe(true);
  });

  it('says closed loop where there is no schedule, and renders without checks or comparisons', () => {
    const closed: Results = structuredClone(results);
    closed.config = { ...closed.config, mode: 'closed', rate: null, arrival: null };
    closed.checks = [];
    closed.comparisons = [];
    closed.runs = closed.runs.filter((r) => r.implementation === 'reference');
    for (const r of closed.runs) {
      r.mode = 'closed';
      r.latency.intended = null;
      r.latency.startDelay = null;
      for (const p of r.series) p.intended = null;
    }
    const page = renderResultsReport({ label: 'x', results: closed });
    expect(page).toContain('closed loop · 64 workers flat out');
    expect(page).not.toContain('id="verdicts"');
    expect(page).not.toContain('id="comparison"');
    const specs = chartSpecs(page);
    expect(specs.some((s) => s.id.endsWith('spectrum-intended'))).toBe(false);
    expect(specs.some((s) => s.id.endsWith('spectrum-service'))).toBe(true);
  });

  it('includes a registered checker view, and survives one that throws', () => {
    registerCheckerView('stub-checker', (c) => `<p class="stub-view">explored ${String(c.stats?.ops)}</p>`);
    registerCheckerView('throwing-checker', () => {
      throw new Error('boom');
    });
    const viewed: Results = structuredClone(results);
    viewed.checks = [
      { ...viewed.checks[0]!, checker: 'stub-checker' },
      { ...viewed.checks[1]!, checker: 'throwing-checker' },
    ];
    const page = renderResultsReport({ label: 'x', results: viewed });
    expect(page).toContain('<p class="stub-view">explored 2312</p>');
    expect(page).toMatch(/class="verdict valid wide">[\s\S]*?stub-view/);
    expect(page).toContain('The throwing-checker view failed to render: boom');
  });
});

describe('renderComparisonReport', () => {
  it('overlays several results files, with ratios against the first and a caveat', async () => {
    const slower: Results = structuredClone(results);
    for (const r of slower.runs) r.throughput.okPerSecond /= 2;
    const page = renderComparisonReport([
      { label: 'main', results },
      { label: 'branch', results: slower },
    ]);
    expect(page).toContain('Comparison: main vs branch');
    expect(page).toContain('measured in separate runs');
    expect(page).toMatch(/main · apache: 2\.00× the throughput/);
    expect(page).toContain('class="side-by-side"');
    const labels = chartSpecs(page)[0]!.series.map((s) => s.label);
    expect(labels).toContain('main · apache ok');
    expect(labels).toContain('branch · reference ok');
  });
});

describe('checker details without a view', () => {
  it('keeps the raw details one click away, escaped', () => {
    const withDetails: Results = structuredClone(results);
    withDetails.checks = [{ ...withDetails.checks[0]!, checker: 'zookeeper-session', details: { lost: [1, 2], note: '<b>x</b>' } }];
    const page = renderResultsReport({ label: 'x', results: withDetails });
    expect(page).toMatch(/<details class="checker-view"><summary>zookeeper-session details<\/summary><pre class="mono">\{/);
    expect(page).toContain('&#34;note&#34;: &#34;&#60;b&#62;x&#60;/b&#62;&#34;');
  });
});

describe('the linearizability view in a report', () => {
  it('draws the checker’s own view for a real failing check', async () => {
    const { linearizabilityChecker } = await import('../../../checkers/linearizability/linearizability-checker.js');
    const ops = [
      { index: 0, process: 0, type: 'invoke', f: 'write', value: 1 },
      { index: 1, process: 0, type: 'ok', f: 'write', value: 1 },
      { index: 2, process: 1, type: 'invoke', f: 'write', value: 2 },
      { index: 3, process: 1, type: 'ok', f: 'write', value: 2 },
      { index: 4, process: 2, type: 'invoke', f: 'read', value: null },
      { index: 5, process: 2, type: 'ok', f: 'read', value: 1 },
    ] as const;
    const check = await linearizabilityChecker.check(ops.map((o) => ({ ...o })), 'cas-register');
    expect(check.valid).toBe(false);
    const withLin: Results = structuredClone(results);
    withLin.checks = [check];
    const page = renderResultsReport({ label: 'x', results: withLin });
    expect(page).toMatch(/class="verdict invalid wide">/);
    expect(page).toContain('class="kz-lin"');
    expect(page).toContain('cannot be linearized');
  });
});
