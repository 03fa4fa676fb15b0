import { formatCount } from '../../reports/number-format.js';
import type { BenchPage } from './bench-page.js';
import type { MicroFigure } from './micro-suite.js';

/** Nanoseconds with a unit that keeps them readable: `850 ns`, `12.3 µs`, `1.20 ms`. */
export function formatNanos(ns: number): string {
  if (ns < 999.5) return `${Math.round(ns)} ns`;
  if (ns < 999_500) return `${(ns / 1000).toPrecision(3)} µs`;
  return `${(ns / 1e6).toPrecision(3)} ms`;
}

/** The micro suite as a bench page: one table per group, plus github-action-benchmark entries (ops/s). */
export function microPage(figures: readonly MicroFigure[], opts: { quick: boolean }): BenchPage {
  const groups = [...new Set(figures.map((f) => f.group))];
  const measured = figures.filter((f) => !f.note);
  const fastest = [...measured].sort((a, b) => b.opsPerSecond - a.opsPerSecond)[0];
  return {
    suite: 'micro',
    name: 'micro',
    title: 'Micro-benchmarks: in-process hot paths (tinybench)',
    summary: `${measured.length} tasks${fastest ? `; fastest ${fastest.task} at ${formatCount(fastest.opsPerSecond)} ops/s` : ''}${figures.length > measured.length ? `; ${figures.length - measured.length} not run` : ''}`,
    intro:
      'Each task runs in this process, warmed up and then sampled for a fixed time by tinybench. ops/s is at the median sample; mean, p50 and p99 are per call; ±rme is the relative margin of error of the mean (95%). On a shared machine the tails and the margin widen; compare medians.',
    notes: figures.filter((f) => f.note).map((f) => `${f.group}: ${f.task}: ${f.note}`),
    tables: groups.map((group) => ({
      heading: group,
      columns: ['task', 'ops/s (median)', 'mean', 'p50', 'p99', '±rme', 'samples'],
      rows: figures
        .filter((f) => f.group === group && !f.note)
        .map((f) => [f.task, formatCount(f.opsPerSecond), formatNanos(f.meanNs), formatNanos(f.p50Ns), formatNanos(f.p99Ns), `${f.rmePercent.toFixed(1)}%`, formatCount(f.samples)]),
    })),
    charts: [],
    figures,
    settings: { tool: 'tinybench 6', timePerTaskMs: opts.quick ? 150 : 600, warmupMs: opts.quick ? 50 : 200 },
    benchmarkAction: {
      biggerIsBetter: measured.map((f) => ({ name: `micro: ${f.group}: ${f.task}`, unit: 'ops/s', value: f.opsPerSecond, range: `± ${f.rmePercent.toFixed(1)}%` })),
      smallerIsBetter: [],
    },
  };
}
