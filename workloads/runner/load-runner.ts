import { ClosedLoopScheduler } from './closed-loop-scheduler.js';
import type { LoadMeasurement, LoadOptions } from './load-phases.js';
import { OpenLoopScheduler, type OpenLoopOptions } from './open-loop-scheduler.js';
import type { RunSession } from './run-session.js';

/** Either load model, as a workload's configuration resolves it. */
export type LoadSpec = ({ mode: 'open' } & OpenLoopOptions) | ({ mode: 'closed' } & LoadOptions);

/** Runs one load phase (warm-up + measurement) on the session's time line. */
export function runLoad(session: RunSession, spec: LoadSpec): Promise<LoadMeasurement> {
  return spec.mode === 'open' ? new OpenLoopScheduler(session, spec).run() : new ClosedLoopScheduler(session, spec).run();
}
