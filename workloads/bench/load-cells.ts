import type { Logger } from '../../common/logger.js';
import { formatLatency, formatRate } from '../../reports/number-format.js';
import type { ConfiguredWorkload, WorkloadDefinition } from '../registry.js';
import { RunSession, type MeasuredLoad } from '../runner/index.js';
import type { BenchTiming } from './bench-options.js';
import type { RunTarget } from './run-target.js';
import { median } from './text-table.js';
import { measureWorkload, type LoadShape, type WorkloadMeasurement } from './workload-measurement.js';

/** One implementation × client × operation of a bench suite: a workload with fixed parameters against one target. */
export interface LoadCell {
  implementation: string;
  /** The op name the results show (may say more than the workload's op, e.g. `getData-8-sessions`). */
  op: string;
  workload: WorkloadDefinition;
  params: Record<string, string>;
  clients: number;
  target: RunTarget;
  /** Rate (null: closed loop) and in-flight bound; warm-up and duration come from the bench timing. */
  rate: number | null;
  inFlight: number;
}

export interface MeasuredCell {
  cell: LoadCell;
  configured: ConfiguredWorkload;
  /** One measurement per repetition that succeeded. */
  reps: WorkloadMeasurement[];
  /** Why a repetition failed, when one did. */
  errors: string[];
}

/**
 * Measures every cell `timing.repetitions` times. Repetitions are interleaved, and every other
 * round runs the cells in reverse order, so slow drift of a shared machine (other jobs, a JVM
 * still compiling) spreads over all implementations instead of favouring whoever ran last.
 * A cell that fails is reported and skipped; the others go on.
 */
export async function measureCells(cells: readonly LoadCell[], timing: BenchTiming, log: Logger, signal?: AbortSignal): Promise<MeasuredCell[]> {
  // Configure everything first: a bad parameter fails before any load runs.
  const measured: MeasuredCell[] = cells.map((cell) => ({
    cell,
    configured: cell.workload.configure({ params: cell.params, clients: cell.clients, inFlight: cell.inFlight, rate: cell.rate, nemesis: [], injectBug: null }),
    reps: [],
    errors: [],
  }));
  for (let rep = 0; rep < timing.repetitions; rep++) {
    const order = rep % 2 === 0 ? measured : [...measured].reverse();
    for (const m of order) {
      if (signal?.aborted) return measured;
      const { cell } = m;
      const shape: LoadShape = { rate: cell.rate, inFlight: cell.inFlight, warmupSeconds: timing.warmupSeconds, durationSeconds: timing.durationSeconds, drainTimeoutSeconds: 5 };
      const label = `${cell.implementation} / ${m.configured.client} / ${cell.op}`;
      try {
        const result = await measureWorkload({
          configured: m.configured,
          target: cell.target.target,
          disposableTarget: cell.target.disposable,
          session: new RunSession(),
          shape,
          log,
          signal,
        });
        m.reps.push(result);
        const op = result.load.ops[0];
        const latency = op ? (op.intended ?? op.service) : null;
        log.info(
          `${label}${timing.repetitions > 1 ? ` (${rep + 1}/${timing.repetitions})` : ''}: ${formatRate(op ? op.counts.ok / result.load.measuredSeconds : 0)} ok, p50 ${formatLatency(latency?.p50)}, p99 ${formatLatency(latency?.p99)}${op && op.counts.fail + op.counts.info + op.counts.dropped > 0 ? `, fail ${op.counts.fail} info ${op.counts.info} dropped ${op.counts.dropped}` : ''}, client CPU ${result.cpuMicrosPerOp.toFixed(1)} µs/op`,
        );
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        m.errors.push(why);
        log.warn(`${label} failed: ${why}`);
      }
    }
  }
  return measured;
}

/**
 * Runs each cell once, unmeasured, for `seconds`: JIT compilation in the servers (a JVM
 * reaches full speed only after a while) and in this process, connection pools, page cache.
 * Without it the first implementation measured pays for everyone's warm-up.
 */
export async function warmUp(cells: readonly LoadCell[], seconds: number, log: Logger, signal?: AbortSignal): Promise<void> {
  if (seconds <= 0) return;
  for (const cell of cells) {
    if (signal?.aborted) return;
    log.info(`warming up ${cell.implementation}${cell.params.client ? ` / ${cell.params.client}` : ''} with ${seconds} s of ${cell.op} (not measured)`);
    const configured = cell.workload.configure({ params: cell.params, clients: cell.clients, inFlight: cell.inFlight, rate: cell.rate, nemesis: [], injectBug: null });
    try {
      await measureWorkload({
        configured,
        target: cell.target.target,
        disposableTarget: cell.target.disposable,
        session: new RunSession(),
        shape: { rate: cell.rate, inFlight: cell.inFlight, warmupSeconds: 0, durationSeconds: seconds, drainTimeoutSeconds: 5 },
        log,
        signal,
      });
    } catch (err) {
      // The measured cells will fail the same way and say so.
      log.warn(`warm-up of ${cell.implementation} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

/** Ops per second of the (single) op kind a cell measures. */
export function okPerSecond(m: WorkloadMeasurement): number {
  const op = m.load.ops[0];
  return op ? op.counts.ok / m.load.measuredSeconds : 0;
}

/** The repetition with the median throughput: its histograms and series stand for the cell. */
function representative(reps: readonly WorkloadMeasurement[]): WorkloadMeasurement {
  const sorted = [...reps].sort((a, b) => okPerSecond(a) - okPerSecond(b));
  return sorted[(sorted.length - 1) >> 1]!;
}

/**
 * The runner's view of the measured cells, op kinds renamed to the cell's op name, for
 * assembleResults: one run per cell, its repetitions feeding the medians.
 */
export function measuredLoads(cells: readonly MeasuredCell[]): MeasuredLoad[] {
  return cells
    .filter((m) => m.reps.length > 0)
    .map((m) => {
      const relabel = (w: WorkloadMeasurement) => ({ ...w.load, ops: w.load.ops.map((o) => ({ ...o, op: m.cell.op })) });
      return {
        implementation: m.cell.implementation,
        client: m.configured.client,
        load: relabel(representative(m.reps)),
        ...(m.reps.length > 1 ? { repetitions: m.reps.map(relabel) } : {}),
      };
    });
}

/** Run id (as assembleResults names runs) → median client CPU µs per op. */
export function cpuPerOp(cells: readonly MeasuredCell[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of cells) {
    const v = median(m.reps.map((r) => r.cpuMicrosPerOp));
    if (v !== null) out[runId(m)] = Math.round(v * 100) / 100;
  }
  return out;
}

/** Run id → median ok ops/s, for figures derived from throughput (records/s, MB/s). */
export function medianThroughput(m: MeasuredCell): number | null {
  return median(m.reps.map(okPerSecond));
}

export function runId(m: MeasuredCell): string {
  return `${m.cell.implementation} / ${m.configured.client} / ${m.cell.op}`;
}

/** Notes for cells that failed (some or all repetitions). */
export function failureNotes(cells: readonly MeasuredCell[]): string[] {
  return cells
    .filter((m) => m.errors.length > 0)
    .map((m) => `${runId(m)}: ${m.errors.length} of ${m.errors.length + m.reps.length} repetition(s) failed (${m.errors[0]})${m.reps.length === 0 ? '; not in the results' : ''}`);
}
