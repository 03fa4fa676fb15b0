import type { Logger } from '../../common/logger.js';
import type { Target } from '../launchers/target.js';
import type { RunNemesis } from '../nemesis/run-faults.js';
import type { ConfiguredWorkload, RunningWorkload } from '../registry.js';
import { runLoad, type LoadMeasurement, type LoadSpec, type ProgressListener, type RunSession } from '../runner/index.js';

/** How the runner drives the load: open loop at `rate`, or closed loop when `rate` is null. */
export interface LoadShape {
  rate: number | null;
  arrival?: 'uniform' | 'poisson';
  seed?: number;
  inFlight: number;
  warmupSeconds: number;
  durationSeconds: number;
  drainTimeoutSeconds?: number;
}

export interface MeasureWorkloadInput {
  configured: ConfiguredWorkload;
  target: Target;
  disposableTarget: boolean;
  session: RunSession;
  shape: LoadShape;
  log: Logger;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
  /** Faults inflicted while the load runs, healed when it ends (before the workload's final phase). */
  nemesis?: RunNemesis | null;
}

export interface WorkloadMeasurement {
  load: LoadMeasurement;
  /**
   * CPU (user + system) this process spent per started op, in µs, warm-up included: the cost
   * of the client library plus the runner, which is the same for every client, so the
   * difference between clients is the clients'. The server runs in another process.
   */
  cpuMicrosPerOp: number;
  connections: number;
  /** The workload's checker, if it has one, to run on the history after the target is gone. */
  check: RunningWorkload['check'];
  facts: Record<string, unknown>;
}

export function loadSpecFor(shape: LoadShape, running: Pick<RunningWorkload, 'generator' | 'executor'>, extra: { onProgress?: ProgressListener; signal?: AbortSignal }): LoadSpec {
  const common = {
    generator: running.generator,
    executor: running.executor,
    inFlight: shape.inFlight,
    warmupSeconds: shape.warmupSeconds,
    durationSeconds: shape.durationSeconds,
    drainTimeoutSeconds: shape.drainTimeoutSeconds,
    onProgress: extra.onProgress,
    signal: extra.signal,
  };
  return shape.rate === null
    ? { mode: 'closed', ...common }
    : { mode: 'open', rate: shape.rate, arrival: shape.arrival ?? 'uniform', seed: shape.seed, ...common };
}

/**
 * Connects a configured workload to a running target, drives one load phase through the
 * runner, and disconnects (also when the load fails). The target itself is the caller's.
 */
export async function measureWorkload(input: MeasureWorkloadInput): Promise<WorkloadMeasurement> {
  const running = await input.configured.start({ target: input.target, session: input.session, log: input.log, disposableTarget: input.disposableTarget });
  let load: LoadMeasurement;
  let cpuMicros: number;
  let nemesisSummary: unknown;
  try {
    const cpuBefore = process.cpuUsage();
    input.nemesis?.start();
    try {
      load = await runLoad(input.session, loadSpecFor(input.shape, running, { onProgress: input.onProgress, signal: input.signal }));
    } finally {
      if (input.nemesis) nemesisSummary = await input.nemesis.stop();
    }
    const cpu = process.cpuUsage(cpuBefore);
    cpuMicros = cpu.user + cpu.system;
    if (running.finish && !input.signal?.aborted) await running.finish();
  } finally {
    await running.close();
  }
  return {
    load,
    cpuMicrosPerOp: cpuMicros / Math.max(1, load.started),
    connections: running.connections,
    check: running.check,
    facts: { ...(running.facts?.() ?? {}), ...(nemesisSummary ? { nemesis: nemesisSummary } : {}) },
  };
}
