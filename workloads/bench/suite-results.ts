import type { ClientSettings, Environment, Results, RunConfig } from '../../reports/results-schema.js';
import type { BaselineChoice } from '../../reports/comparisons.js';
import { assembleResults, collectEnvironment } from '../runner/index.js';
import type { BenchTiming } from './bench-options.js';
import type { BenchTargetSet } from './bench-targets.js';
import { kzbenchVersion } from './kzbench-version.js';
import { cpuPerOp, failureNotes, measuredLoads, runId, type MeasuredCell } from './load-cells.js';

/** One results document of a suite (a suite may write several: throughput, latency, clients). */
export interface SuiteOutput {
  /** The `--suite` it belongs to (thresholds address it by this). */
  suite: string;
  /** Its own directory and heading under reports/out/. */
  name: string;
  results: Results;
}

export interface SuiteResultsInput {
  suite: string;
  name: string;
  title: string;
  workload: string;
  cells: readonly MeasuredCell[];
  /** Open-loop rate of every cell, or null for closed loop. */
  rate: number | null;
  timing: BenchTiming;
  targets: readonly BenchTargetSet[];
  loadAverage: number[];
  baseline: BaselineChoice;
  notes?: string[];
  /** Settings every cell shares that the workloads cannot know (e.g. the servers' fsync). */
  settings?: ClientSettings;
  extra?: Record<string, unknown>;
}

/** Environment of a bench: every implementation that ran, Java when Apache took part, the load average at start. */
export function benchEnvironment(targets: readonly BenchTargetSet[], loadAverage: number[]): Environment {
  const implementations = targets.flatMap((t) => t.implementations());
  return collectEnvironment({ implementations, java: implementations.some((i) => i.name === 'apache'), kzbench: kzbenchVersion(), loadAverage });
}

/**
 * A results document for measured cells: the runs with their repetitions, ratios against
 * Apache (and against the other client), client settings next to the numbers (shared ones as
 * they are, the rest per run in `extra.cells`), client CPU per op, and notes on anything
 * skipped or failed.
 */
export function suiteResults(input: SuiteResultsInput): Results {
  const measured = input.cells.filter((m) => m.reps.length > 0);
  const first = input.cells[0];
  const config: RunConfig = {
    workload: input.workload,
    mode: input.rate === null ? 'closed' : 'open',
    rate: input.rate,
    arrival: input.rate === null ? null : 'uniform',
    seed: null,
    durationSeconds: input.timing.durationSeconds,
    warmupSeconds: input.timing.warmupSeconds,
    clients: first?.cell.clients ?? 0,
    connections: measured[0]?.reps[0]?.connections ?? 0,
    inFlight: first?.cell.inFlight ?? 0,
    settings: { ...sharedSettings(input.cells), ...input.settings },
    extra: {
      repetitions: input.timing.repetitions,
      cells: input.cells.map((m) => ({ run: runId(m), clients: m.cell.clients, inFlight: m.cell.inFlight, ...m.configured.settings })),
      clientCpuMicrosPerOp: cpuPerOp(input.cells),
      ...input.extra,
    },
  };
  const results = assembleResults({
    title: input.title,
    config,
    environment: benchEnvironment(input.targets, input.loadAverage),
    measurements: measuredLoads(input.cells),
    baseline: input.baseline,
    notes: [...input.targets.flatMap((t) => t.notes()), ...failureNotes(input.cells), ...(input.notes ?? [])],
  });
  return withUniqueNotes(results);
}

/** Every cell of a closed-loop suite adds the same closed-loop caveat: say it once. */
export function withUniqueNotes(results: Results): Results {
  return { ...results, notes: [...new Set(results.notes)] };
}

/** Settings equal in every cell keep their value; the others read "per run" (see extra.cells). */
function sharedSettings(cells: readonly MeasuredCell[]): ClientSettings {
  const out: ClientSettings = {};
  const keys = [...new Set(cells.flatMap((m) => Object.keys(m.configured.settings)))];
  for (const key of keys) {
    const values = new Set(cells.map((m) => JSON.stringify(m.configured.settings[key] ?? null)));
    out[key] = values.size === 1 ? (cells[0]!.configured.settings[key] ?? null) : 'per run (see cells)';
  }
  const clients = new Set(cells.map((m) => m.cell.clients));
  const inFlight = new Set(cells.map((m) => m.cell.inFlight));
  if (clients.size > 1) out.clientsPerRun = 'per run (see cells)';
  if (inFlight.size > 1) out.inFlightPerRun = 'per run (see cells)';
  return out;
}
