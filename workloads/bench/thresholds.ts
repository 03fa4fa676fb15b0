import { UsageError } from '../../common/errors.js';
import type { Results, RunResult } from '../../reports/results-schema.js';
import { median } from './text-table.js';

/**
 * `--threshold` expressions, in the spirit of k6's thresholds: a metric of one measured run
 * (or the ratio of two) against a limit. A breached threshold makes `kzbench bench` exit 4;
 * nothing else does, so noise alone never fails a build. Values are medians over repetitions.
 *
 *   zookeeper.create.throughput.reference>1000          ops/s of the reference server, our client
 *   zookeeper.getData.p99.apache<5ms                    p99 (open-loop run when there is one)
 *   kafka.produce-100B-acksall-batched.throughput.reference/apache>=0.5   a ratio
 *   zookeeper.getData-1-session.cpu.apache.kzbench<40   client CPU µs per op, naming the client
 */
export const thresholdMetrics = ['throughput', 'p50', 'p90', 'p99', 'p99_9', 'max', 'cpu'] as const;
export type ThresholdMetric = (typeof thresholdMetrics)[number];
type Comparator = '<' | '<=' | '>' | '>=';

export type ThresholdSubject = { kind: 'run'; implementation: string; client?: string } | { kind: 'ratio'; candidate: string; baseline: string; client?: string };

export interface Threshold {
  text: string;
  suite: string;
  op: string;
  metric: ThresholdMetric;
  subject: ThresholdSubject;
  comparator: Comparator;
  /** In the metric's unit: ops/s, µs (latency, cpu), or a plain ratio. */
  limit: number;
}

export interface ThresholdOutcome {
  threshold: Threshold;
  /** The measured value, null when nothing matched (e.g. Apache was not available). */
  value: number | null;
  /** null: not evaluated (no matching measurement). */
  passed: boolean | null;
  detail: string;
}

/** A suite's results as thresholds see them: `suite` is the `--suite` name, several documents may share it. */
export interface ThresholdSource {
  suite: string;
  results: Results;
}

const pattern = /^([a-z]+)\.([^.\s]+)\.([a-z0-9_]+)\.([^<>=\s]+)\s*(<=|>=|<|>)\s*([0-9]*\.?[0-9]+(?:e[+-]?\d+)?)\s*(us|µs|ms|s|\/s)?$/i;
const latencyUnits: Record<string, number> = { us: 1, µs: 1, ms: 1000, s: 1_000_000 };

export function parseThreshold(text: string): Threshold {
  const m = pattern.exec(text.trim());
  const usage = (why: string) =>
    new UsageError(
      'KZ_THRESHOLD_INVALID',
      `--threshold '${text}': ${why}. Form: <suite>.<op>.<metric>.<impl>[.<client>] <op> <number>[unit], e.g. zookeeper.create.throughput.reference>1000 or zookeeper.getData.p99.apache<5ms; metrics: ${thresholdMetrics.join(', ')}; a ratio: ...throughput.reference/apache>=0.5`,
    );
  if (!m) throw usage('not understood');
  const [, suite, op, metricText, who, comparator, number, unit] = m as unknown as [string, string, string, string, string, Comparator, string, string | undefined];
  if (!(thresholdMetrics as readonly string[]).includes(metricText)) throw usage(`unknown metric '${metricText}'`);
  const metric = metricText as ThresholdMetric;
  const [main, client] = splitClient(who);
  let subject: ThresholdSubject;
  if (main.includes('/')) {
    const [candidate, baseline, ...rest] = main.split('/');
    if (!candidate || !baseline || rest.length > 0) throw usage('a ratio names two implementations, candidate/baseline');
    subject = { kind: 'ratio', candidate, baseline, ...(client ? { client } : {}) };
  } else subject = { kind: 'run', implementation: main, ...(client ? { client } : {}) };
  let limit = Number(number);
  const latencyMetric = metric !== 'throughput' && metric !== 'cpu';
  if (unit && subject.kind === 'run') {
    if (latencyMetric && unit.toLowerCase() in latencyUnits) limit *= latencyUnits[unit.toLowerCase()]!;
    else if (metric === 'cpu' && ['us', 'µs'].includes(unit.toLowerCase())) limit *= 1;
    else if (!(metric === 'throughput' && unit === '/s')) throw usage(`unit '${unit}' does not fit ${metric}`);
  } else if (unit) throw usage('a ratio takes no unit');
  return { text, suite: suite.toLowerCase(), op, metric, subject, comparator, limit };
}

/** `reference.kzbench` → ['reference', 'kzbench']; `reference/apache` stays whole. */
function splitClient(who: string): [string, string | undefined] {
  const dot = who.indexOf('.');
  return dot < 0 ? [who, undefined] : [who.slice(0, dot), who.slice(dot + 1)];
}

export function evaluateThresholds(thresholds: readonly Threshold[], sources: readonly ThresholdSource[]): ThresholdOutcome[] {
  return thresholds.map((t) => evaluateOne(t, sources.filter((s) => s.suite === t.suite)));
}

function evaluateOne(t: Threshold, sources: readonly ThresholdSource[]): ThresholdOutcome {
  const notEvaluated = (detail: string): ThresholdOutcome => ({ threshold: t, value: null, passed: null, detail });
  if (sources.length === 0) return notEvaluated(`suite '${t.suite}' did not run`);
  let value: number | null;
  if (t.subject.kind === 'run') {
    value = metricOf(t, sources, t.subject.implementation, t.subject.client);
    if (value === null) return notEvaluated(`no ${t.subject.implementation} run of ${t.op}${t.subject.client ? ` with ${t.subject.client}` : ''} (${availableOps(sources)})`);
  } else {
    const c = metricOf(t, sources, t.subject.candidate, t.subject.client);
    const b = metricOf(t, sources, t.subject.baseline, t.subject.client);
    if (c === null || b === null) return notEvaluated(`${t.op} was not measured on both ${t.subject.candidate} and ${t.subject.baseline}`);
    if (b === 0) return notEvaluated(`${t.subject.baseline} measured 0`);
    value = c / b;
  }
  const passed = t.comparator === '<' ? value < t.limit : t.comparator === '<=' ? value <= t.limit : t.comparator === '>' ? value > t.limit : value >= t.limit;
  return { threshold: t, value, passed, detail: `${round(value)} ${t.comparator} ${round(t.limit)}` };
}

function availableOps(sources: readonly ThresholdSource[]): string {
  const ops = [...new Set(sources.flatMap((s) => s.results.runs.map((r) => r.op)))];
  return `ops measured: ${ops.join(', ') || 'none'}`;
}

/**
 * The metric for one implementation (and client): throughput from the closed-loop run when
 * there is one (that is the max-throughput measurement), latency from the open-loop run (the
 * latency users see), else whatever was measured.
 */
function metricOf(t: Threshold, sources: readonly ThresholdSource[], implementation: string, client: string | undefined): number | null {
  const candidates = sources.flatMap((s) => s.results.runs.filter((r) => r.op === t.op && r.implementation === implementation).map((run) => ({ run, results: s.results })));
  const clients = [...new Set(candidates.map((c) => c.run.client))];
  const wanted = client ?? (clients.length === 1 ? clients[0] : clients.includes('kzbench') ? 'kzbench' : undefined);
  const matching = candidates.filter((c) => c.run.client === wanted);
  if (matching.length === 0) return null;
  const preferred = t.metric === 'throughput' || t.metric === 'cpu' ? 'closed' : 'open';
  const chosen = matching.find((c) => c.run.mode === preferred) ?? matching[0]!;
  return valueOf(t.metric, chosen.run, chosen.results);
}

function valueOf(metric: ThresholdMetric, run: RunResult, results: Results): number | null {
  if (metric === 'throughput') return median(run.repetitions?.map((r) => r.okPerSecond)) ?? run.throughput.okPerSecond;
  if (metric === 'cpu') {
    const table = results.config.extra?.clientCpuMicrosPerOp as Record<string, number> | undefined;
    return table?.[run.id] ?? null;
  }
  const stats = run.latency.intended ?? run.latency.service;
  if (stats.count === 0) return null;
  if (metric === 'p50') return median(run.repetitions?.map((r) => r.p50)) ?? stats.p50;
  if (metric === 'p99') return median(run.repetitions?.map((r) => r.p99)) ?? stats.p99;
  return stats[metric];
}

function round(n: number): string {
  return Math.abs(n) >= 100 ? n.toFixed(0) : n.toPrecision(3);
}
