import type { Comparison, ComparisonMetric, Results, RunResult } from './results-schema.js';

/** Ratios within this of 1 count as equal: single runs are noisier than that anyway. */
const equalWithin = 0.01;

interface MetricSpec {
  metric: ComparisonMetric;
  latency: 'intended' | 'service' | null;
}

/**
 * What a comparison looks at: throughput, and the latency quantiles of the histogram that
 * represents users (intended start in open loop, service time in closed loop), plus service
 * time p50/p99 in open loop so server-side speed is visible apart from queueing.
 */
function metricsFor(run: RunResult): MetricSpec[] {
  const primary = run.latency.intended ? 'intended' : 'service';
  const specs: MetricSpec[] = [
    { metric: 'okPerSecond', latency: null },
    { metric: 'p50', latency: primary },
    { metric: 'p99', latency: primary },
    { metric: 'p99_9', latency: primary },
  ];
  if (primary === 'intended') specs.push({ metric: 'p50', latency: 'service' }, { metric: 'p99', latency: 'service' });
  return specs;
}

export function metricValue(run: RunResult, spec: MetricSpec): number | null {
  if (spec.metric === 'okPerSecond') return median(run.repetitions?.map((r) => r.okPerSecond)) ?? run.throughput.okPerSecond;
  const stats = spec.latency === 'intended' ? run.latency.intended : run.latency.service;
  if (!stats || stats.count === 0) return null;
  if (spec.latency === (run.latency.intended ? 'intended' : 'service')) {
    if (spec.metric === 'p50') return median(run.repetitions?.map((r) => r.p50)) ?? stats.p50;
    if (spec.metric === 'p99') return median(run.repetitions?.map((r) => r.p99)) ?? stats.p99;
  }
  return stats[spec.metric];
}

function median(values: number[] | undefined): number | null {
  if (!values || values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function compare(
  baseline: RunResult,
  candidate: RunResult,
  axis: Comparison['axis'],
  ids: { baseline: string; candidate: string } = { baseline: baseline.id, candidate: candidate.id },
): Comparison[] {
  const out: Comparison[] = [];
  for (const spec of metricsFor(baseline)) {
    if (spec.latency === 'intended' && !candidate.latency.intended) continue;
    const b = metricValue(baseline, spec);
    const c = metricValue(candidate, spec);
    if (b === null || c === null) continue;
    const biggerIsBetter = spec.metric === 'okPerSecond';
    const ratio = b === 0 ? null : c / b;
    let better: Comparison['better'];
    if (ratio === null) better = c === 0 ? 'equal' : biggerIsBetter ? 'candidate' : 'baseline';
    else if (Math.abs(ratio - 1) <= equalWithin) better = 'equal';
    else better = ratio > 1 === biggerIsBetter ? 'candidate' : 'baseline';
    out.push({
      op: baseline.op,
      metric: spec.metric,
      latency: spec.latency,
      axis,
      baseline: ids.baseline,
      candidate: ids.candidate,
      baselineValue: b,
      candidateValue: c,
      ratio,
      biggerIsBetter,
      better,
    });
  }
  return out;
}

export interface BaselineChoice {
  /** Implementation the others are compared against (default: the first one measured). */
  implementation?: string;
  /** Client the others are compared against (default: the first one measured). */
  client?: string;
}

function pickBaseline(values: string[], preferred: string | undefined): string {
  return preferred !== undefined && values.includes(preferred) ? preferred : values[0]!;
}

/**
 * Ratios between runs measured together: per operation, each implementation against the
 * baseline implementation using the same client, and each client against the baseline client
 * on the same implementation.
 */
export function computeComparisons(runs: readonly RunResult[], baseline: BaselineChoice = {}): Comparison[] {
  const out: Comparison[] = [];
  const ops = unique(runs.map((r) => r.op));
  for (const op of ops) {
    const opRuns = runs.filter((r) => r.op === op);
    for (const client of unique(opRuns.map((r) => r.client))) {
      const group = opRuns.filter((r) => r.client === client);
      const impls = unique(group.map((r) => r.implementation));
      if (impls.length < 2) continue;
      const base = group.find((r) => r.implementation === pickBaseline(impls, baseline.implementation))!;
      for (const cand of group) if (cand !== base) out.push(...compare(base, cand, 'implementation'));
    }
    for (const impl of unique(opRuns.map((r) => r.implementation))) {
      const group = opRuns.filter((r) => r.implementation === impl);
      const clients = unique(group.map((r) => r.client));
      if (clients.length < 2) continue;
      const base = group.find((r) => r.client === pickBaseline(clients, baseline.client))!;
      for (const cand of group) if (cand !== base) out.push(...compare(base, cand, 'client'));
    }
  }
  return out;
}

export interface LabelledResults {
  /** How the results are named in the comparison (usually the results directory). */
  label: string;
  results: Results;
}

/** The run of `base` that `run` should be compared with: same implementation, client and op, else the closest unique match. */
function counterpart(run: RunResult, base: Results): RunResult | undefined {
  const tiers: Array<(r: RunResult) => boolean> = [
    (r) => r.op === run.op && r.client === run.client && r.implementation === run.implementation,
    (r) => r.op === run.op && r.client === run.client,
    (r) => r.op === run.op,
  ];
  for (const matches of tiers) {
    const found = base.runs.filter(matches);
    if (found.length === 1) return found[0];
    if (found.length > 1) return undefined;
  }
  return undefined;
}

/**
 * Ratios across separate results files (`kzbench report a b ...`): every run of a later file
 * against its counterpart in the first. These were not measured in the same run, so the
 * report flags them as such. Ids are `label: run id`.
 */
export function compareResultsFiles(files: readonly LabelledResults[]): Comparison[] {
  if (files.length < 2) return [];
  const [first, ...rest] = files;
  const out: Comparison[] = [];
  for (const file of rest) {
    for (const run of file!.results.runs) {
      const base = counterpart(run, first!.results);
      if (!base) continue;
      out.push(...compare(base, run, 'results', { baseline: `${first!.label}: ${base.id}`, candidate: `${file!.label}: ${run.id}` }));
    }
  }
  return out;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
