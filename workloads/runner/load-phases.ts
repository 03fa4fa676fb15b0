import type { LoadMode } from '../../reports/results-schema.js';
import type { OpKindMeasurement } from './latency-recorder.js';
import type { ProgressListener } from './load-progress.js';
import type { Executor, OpGenerator } from './operation.js';

/** What both load models share. */
export interface LoadOptions {
  generator: OpGenerator;
  executor: Executor;
  /**
   * Open loop: the most ops in flight at once; an arrival finding all slots busy is dropped
   * (and counted). Closed loop: the number of workers.
   */
  inFlight: number;
  /** Ops start but are not measured for this long (JIT, caches, connection set-up). */
  warmupSeconds: number;
  /** Length of the measurement window that follows the warm-up. */
  durationSeconds: number;
  /** How long to wait for in-flight ops after the schedule ends before abandoning them (default 10). */
  drainTimeoutSeconds?: number;
  /** Time-series interval (default 1 s). */
  intervalSeconds?: number;
  /** Stops scheduling new ops early (in-flight ops still drain). */
  signal?: AbortSignal;
  /** Called once a second (on the session clock) with counts so far, for progress lines. */
  onProgress?: ProgressListener;
}

/** The phases of a run on its time line, in ns since the run started. */
export interface LoadPhases {
  /** When the schedule starts (the warm-up begins). */
  startNs: bigint;
  /** End of warm-up = start of the measurement window. */
  windowStartNs: bigint;
  /** End of the measurement window: nothing new starts from here. */
  endNs: bigint;
  /** After the last start, how long in-flight ops may take before they are abandoned. */
  drainTimeoutNs: bigint;
}

export function loadPhases(startNs: bigint, opts: LoadOptions): LoadPhases {
  for (const [name, v] of [
    ['warmupSeconds', opts.warmupSeconds],
    ['durationSeconds', opts.durationSeconds],
  ] as const) {
    if (!(v >= 0) || !Number.isFinite(v)) throw new RangeError(`${name} must be a finite number >= 0, got ${v}`);
  }
  const drain = opts.drainTimeoutSeconds ?? 10;
  if (!(drain >= 0) || !Number.isFinite(drain)) throw new RangeError(`drainTimeoutSeconds must be a finite number >= 0, got ${drain}`);
  if (!(opts.durationSeconds > 0)) throw new RangeError(`durationSeconds must be > 0, got ${opts.durationSeconds}`);
  const windowStartNs = startNs + secondsToNs(opts.warmupSeconds);
  const endNs = windowStartNs + secondsToNs(opts.durationSeconds);
  return { startNs, windowStartNs, endNs, drainTimeoutNs: secondsToNs(opts.drainTimeoutSeconds ?? 10) };
}

export function secondsToNs(s: number): bigint {
  return BigInt(Math.round(s * 1e9));
}

/** What one implementation × client measured under one load model. */
export interface LoadMeasurement {
  mode: LoadMode;
  /** Per operation kind, in the order kinds were first seen. */
  ops: OpKindMeasurement[];
  phases: LoadPhases;
  measuredSeconds: number;
  /** Ops started (warm-up included) / arrivals dropped (warm-up included). */
  started: number;
  dropped: number;
  /** Ops still in flight at the drain deadline, logged as `info`. */
  abandoned: number;
  /** The generator returned null before the window ended. */
  generatorExhausted: boolean;
}

/** The window length, or how much of it passed before the run stopped early (workload exhausted, aborted). */
export function measuredSeconds(phases: LoadPhases, stoppedAtNs: bigint | null, durationSeconds: number): number {
  if (stoppedAtNs === null || stoppedAtNs >= phases.endNs) return Number(phases.endNs - phases.windowStartNs) / 1e9;
  const partial = Number(stoppedAtNs - phases.windowStartNs) / 1e9;
  // Stopped during the warm-up: nothing was measured; keep the planned length so rates are 0, not NaN.
  return partial > 0 ? partial : durationSeconds;
}
