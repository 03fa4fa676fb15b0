import type { CheckResult } from '../../checkers/checker.js';
import { computeComparisons, type BaselineChoice } from '../../reports/comparisons.js';
import {
  ResultsSchema,
  resultsFormat,
  resultsVersion,
  type Environment,
  type HistoryRef,
  type NemesisInterval,
  type Results,
  type RunConfig,
  type RunResult,
} from '../../reports/results-schema.js';
import type { LoadMeasurement } from './load-phases.js';

/** One implementation × client measured under load. */
export interface MeasuredLoad {
  implementation: string;
  client: string;
  /** The measurement whose histograms and series are reported. */
  load: LoadMeasurement;
  /**
   * Every repetition of the same measurement (`load` among them), when it was repeated:
   * their throughput and p50/p99 go into `repetitions`, and comparisons use the medians.
   */
  repetitions?: LoadMeasurement[];
}

export interface AssembleResultsInput {
  title?: string;
  config: RunConfig;
  environment: Environment;
  measurements: MeasuredLoad[];
  checks?: CheckResult[];
  nemesis?: NemesisInterval[];
  history?: HistoryRef | null;
  /** Extra warnings to show next to the numbers. */
  notes?: string[];
  baseline?: BaselineChoice;
  createdAt?: Date;
}

/** Above this start delay (µs at p99) the report warns that the generator could not keep up. */
const lateStartWarningUs = 1000;

/**
 * Builds a validated results.json document: one run per implementation × client × op kind,
 * the comparisons between runs measured together, and the warnings a reader needs beside
 * the numbers (closed loop, dropped arrivals, abandoned ops, late starts).
 */
export function assembleResults(input: AssembleResultsInput): Results {
  const runs: RunResult[] = [];
  const notes = [...(input.notes ?? [])];
  for (const m of input.measurements) {
    for (const op of m.load.ops) {
      runs.push({
        id: `${m.implementation} / ${m.client} / ${op.op}`,
        implementation: m.implementation,
        client: m.client,
        op: op.op,
        mode: m.load.mode,
        measuredSeconds: m.load.measuredSeconds,
        counts: op.counts,
        throughput: {
          okPerSecond: op.counts.ok / m.load.measuredSeconds,
          completedPerSecond: (op.counts.ok + op.counts.fail + op.counts.info) / m.load.measuredSeconds,
        },
        latency: { unit: 'us', intended: op.intended, service: op.service, startDelay: op.startDelay },
        intervalSeconds: op.intervalSeconds,
        series: op.series,
        ...(m.repetitions && m.repetitions.length > 0 ? { repetitions: repetitionFigures(op.op, m.repetitions) } : {}),
      });
    }
    notes.push(...loadNotes(m, input.config));
  }
  const results: Results = {
    format: resultsFormat,
    version: resultsVersion,
    title: input.title ?? defaultTitle(input.config, input.measurements),
    createdAt: (input.createdAt ?? new Date()).toISOString(),
    config: input.config,
    environment: input.environment,
    runs,
    comparisons: computeComparisons(runs, input.baseline),
    checks: input.checks ?? [],
    nemesis: input.nemesis ?? [],
    history: input.history ?? null,
    notes,
  };
  return ResultsSchema.parse(results);
}

/** Per repetition: throughput and the p50/p99 users saw (intended start; service time in closed loop). */
function repetitionFigures(op: string, repetitions: readonly LoadMeasurement[]): NonNullable<RunResult['repetitions']> {
  return repetitions.flatMap((rep) => {
    const m = rep.ops.find((o) => o.op === op);
    if (!m) return [];
    const latency = m.intended ?? m.service;
    return [{ okPerSecond: m.counts.ok / rep.measuredSeconds, p50: latency.p50, p99: latency.p99 }];
  });
}

function loadNotes({ implementation, client, load }: MeasuredLoad, config: RunConfig): string[] {
  const who = `${implementation} / ${client}`;
  const notes: string[] = [];
  if (load.mode === 'closed') {
    notes.push(
      `${who}: closed loop, ${config.inFlight} workers flat out. Latency is service time only and hides stalls (coordinated omission); quote open-loop runs for latency.`,
    );
  }
  const measuredDropped = load.ops.reduce((n, op) => n + op.counts.dropped, 0);
  const measuredArrivals = load.ops.reduce((n, op) => n + op.counts.ok + op.counts.fail + op.counts.info + op.counts.dropped, 0);
  if (measuredDropped > 0) {
    const pct = ((100 * measuredDropped) / Math.max(1, measuredArrivals)).toFixed(2);
    notes.push(
      `${who}: ${measuredDropped} of ${measuredArrivals} scheduled ops (${pct}%) were dropped because ${config.inFlight} ops were already in flight: the target did not keep up with ${config.rate ?? '?'} ops/s. Latency figures cover only the ops that ran.`,
    );
  }
  if (load.abandoned > 0) {
    notes.push(`${who}: ${load.abandoned} ops were still in flight when the run ended and are logged as info (indeterminate).`);
  }
  if (load.generatorExhausted) {
    notes.push(`${who}: the workload ran out of operations after ${load.measuredSeconds.toFixed(1)} s of measurement.`);
  }
  for (const op of load.ops) {
    if (op.startDelay && op.startDelay.p99 > lateStartWarningUs) {
      notes.push(
        `${who} / ${op.op}: ops started late (start delay p99 ${(op.startDelay.p99 / 1000).toFixed(1)} ms): the load generator or a client queue could not keep up; intended-start latency includes this delay.`,
      );
    }
  }
  return notes;
}

function defaultTitle(config: RunConfig, measurements: MeasuredLoad[]): string {
  const impls = [...new Set(measurements.map((m) => m.implementation))];
  const load = config.mode === 'open' ? `${config.rate} ops/s open loop` : `closed loop × ${config.inFlight}`;
  return `${config.workload}: ${impls.join(' vs ')} (${load})`;
}
