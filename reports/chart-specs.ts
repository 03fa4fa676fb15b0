import { ninesGrid, percentileSpectrum, resolvableNines } from './histogram-spectrum.js';
import type { NemesisInterval, RunResult } from './results-schema.js';

/** One line on a chart. */
export interface ChartSeries {
  label: string;
  color: string;
  /** Canvas dash pattern; solid when absent. */
  dash?: number[];
  width?: number;
  values: (number | null)[];
}

/** A shaded band on a time chart (a nemesis fault). */
export interface ChartBand {
  start: number;
  end: number;
  label: string;
}

/**
 * Everything the browser needs to draw one uPlot chart; the report inlines these as JSON, so
 * all data shaping happens here, typed, and the browser script only draws.
 */
export interface ChartSpec {
  id: string;
  kind: 'time' | 'spectrum';
  title: string;
  /** Shown under the title: what the chart measures, in a few words. */
  caption: string;
  xLabel: string;
  yLabel: string;
  /** How axis values and the legend format y. */
  yFormat: 'latency' | 'rate';
  yLog: boolean;
  /**
   * Draw as steps: each value holds across its interval (time series of per-interval
   * aggregates), rather than a line between instants.
   */
  stepped: boolean;
  x: number[];
  series: ChartSeries[];
  bands: ChartBand[];
  /** Charts with the same sync key share a cursor. */
  syncKey: string;
}

/** A run as it appears on charts: its colour and label are fixed across every chart. */
export interface PlottedRun {
  label: string;
  color: string;
  run: RunResult;
}

/** Okabe–Ito colours (distinguishable with colour-vision deficiencies), then a few extra. */
export const seriesPalette = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#999999', '#8C564B', '#17BECF'];

export function colorFor(index: number): string {
  return seriesPalette[index % seriesPalette.length]!;
}

/** Seconds on the time line, rounded so runs with the same interval grid share x values. */
const timeKey = (t: number): number => Math.round(t * 1000) / 1000;

/**
 * Interval starts of every run, plus one closing point at the end of the last interval so
 * the last step has its width.
 */
function timeAxis(plotted: readonly PlottedRun[]): number[] {
  const starts = [...new Set(plotted.flatMap((p) => p.run.series.map((s) => timeKey(s.t))))].sort((a, b) => a - b);
  if (starts.length === 0) return starts;
  const end = Math.max(...plotted.filter((p) => p.run.series.length > 0).map((p) => timeKey(p.run.series.at(-1)!.t + p.run.intervalSeconds)));
  return [...starts, end];
}

function alignedSeries(x: readonly number[], run: RunResult, pick: (p: RunResult['series'][number]) => number | null): (number | null)[] {
  const byT = new Map(run.series.map((p) => [timeKey(p.t), pick(p)]));
  const last = run.series.at(-1);
  // The run's closing point repeats its last value: a step needs a right edge.
  if (last) byT.set(timeKey(last.t + run.intervalSeconds), pick(last));
  return x.map((t) => byT.get(t) ?? null);
}

/** Log scales cannot show 0: a 0 µs latency (sub-µs) is drawn at the axis floor instead of vanishing. */
const forLog = (v: number | null): number | null => (v === null ? null : Math.max(v, 1));

function bandsFrom(nemesis: readonly NemesisInterval[], x: readonly number[]): ChartBand[] {
  const end = x.length > 0 ? x[x.length - 1]! : 0;
  return nemesis.map((n) => ({
    start: n.start,
    end: n.end ?? end,
    label: n.nodes.length > 0 ? `${n.fault} ${n.nodes.join(',')}` : n.fault,
  }));
}

/**
 * The charts for one operation kind: throughput and latency over time (with nemesis bands),
 * and the percentile spectrum of intended-start latency and of service time, each with every
 * run overlaid.
 */
export function chartsForOp(op: string, plotted: readonly PlottedRun[], nemesis: readonly NemesisInterval[], idPrefix: string): ChartSpec[] {
  const specs: ChartSpec[] = [];
  const x = timeAxis(plotted);
  const bands = bandsFrom(nemesis, x);
  const slug = `${idPrefix}${op.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const syncKey = `${idPrefix}time`;

  const throughput: ChartSeries[] = [];
  for (const p of plotted) {
    throughput.push({ label: `${p.label} ok`, color: p.color, width: 2, values: alignedSeries(x, p.run, (s) => s.ok / p.run.intervalSeconds) });
    if (p.run.series.some((s) => s.fail + s.info > 0)) {
      throughput.push({ label: `${p.label} fail+info`, color: p.color, dash: [2, 3], width: 1.5, values: alignedSeries(x, p.run, (s) => (s.fail + s.info) / p.run.intervalSeconds) });
    }
    if (p.run.series.some((s) => s.dropped > 0)) {
      throughput.push({ label: `${p.label} dropped`, color: p.color, dash: [8, 3, 2, 3], width: 1.5, values: alignedSeries(x, p.run, (s) => s.dropped / p.run.intervalSeconds) });
    }
  }
  specs.push({
    id: `${slug}-throughput`,
    kind: 'time',
    title: `${op}: throughput`,
    caption: 'Completed operations per second, each step one interval (by completion time); shaded bands are faults.',
    xLabel: 'seconds since start',
    yLabel: 'ops/s',
    yFormat: 'rate',
    yLog: false,
    stepped: true,
    x,
    series: throughput,
    bands,
    syncKey,
  });

  const latency: ChartSeries[] = [];
  const anyIntended = plotted.some((p) => p.run.latency.intended !== null);
  for (const p of plotted) {
    const view = (s: RunResult['series'][number]) => (p.run.latency.intended ? s.intended : s.service);
    latency.push({ label: `${p.label} p99`, color: p.color, width: 2, values: alignedSeries(x, p.run, (s) => forLog(view(s)?.p99 ?? null)) });
    latency.push({ label: `${p.label} p50`, color: p.color, dash: [5, 4], width: 1.5, values: alignedSeries(x, p.run, (s) => forLog(view(s)?.p50 ?? null)) });
  }
  specs.push({
    id: `${slug}-latency`,
    kind: 'time',
    title: `${op}: latency over time`,
    caption: anyIntended
      ? 'p99 (solid) and p50 (dashed) per second, from the intended start (service time for closed-loop runs); log scale.'
      : 'p99 (solid) and p50 (dashed) per second of service time (closed loop); log scale.',
    xLabel: 'seconds since start',
    yLabel: 'latency',
    yFormat: 'latency',
    yLog: true,
    stepped: true,
    x,
    series: latency,
    bands,
    syncKey,
  });

  for (const which of ['intended', 'service'] as const) {
    const withStats = plotted.filter((p) => p.run.latency[which] && p.run.latency[which]!.count > 0);
    if (withStats.length === 0) continue;
    const maxNines = Math.max(...withStats.map((p) => resolvableNines(p.run.latency[which]!.count)));
    const grid = ninesGrid(maxNines);
    specs.push({
      id: `${slug}-spectrum-${which}`,
      kind: 'spectrum',
      title: which === 'intended' ? `${op}: latency by percentile (intended start)` : `${op}: latency by percentile (service time)`,
      caption:
        which === 'intended'
          ? 'What users waited: completion minus the scheduled start. Each step right is one more nine.'
          : 'Completion minus the actual send: the server and network alone, without queueing for the schedule.',
      xLabel: 'percentile',
      yLabel: 'latency',
      yFormat: 'latency',
      yLog: true,
      stepped: false,
      x: grid,
      series: withStats.map((p) => ({
        label: p.label,
        color: p.color,
        width: 2,
        values: percentileSpectrum(p.run.latency[which]!.histogram, grid).map(forLog),
      })),
      bands: [],
      syncKey: `${idPrefix}spectrum`,
    });
  }
  return specs;
}
