/**
 * The runner's public surface: workloads supply an OpGenerator and an Executor, the runner
 * drives them open- or closed-loop on a RunSession, records HDR latency and history, and
 * assembles results.json. See docs/runner.md.
 */
export { arrivalOffsets, type ArrivalProcess, type ArrivalScheduleOptions } from './arrival-schedule.js';
export { systemClock, type Clock } from './clock.js';
export { ClosedLoopScheduler } from './closed-loop-scheduler.js';
export { collectEnvironment, javaVersion, type EnvironmentOptions } from './environment.js';
export { HistoryRecorder, type HistoryEntry, type HistoryRecorderOptions } from './history-recorder.js';
export { latencyUnit, nsToLatencyUnit } from './latency-histogram.js';
export { LatencyRecorder, type OpKindMeasurement } from './latency-recorder.js';
export { loadPhases, type LoadMeasurement, type LoadOptions, type LoadPhases } from './load-phases.js';
export { startProgressTicker, type LoadProgress, type ProgressListener } from './load-progress.js';
export { runLoad, type LoadSpec } from './load-runner.js';
export { NemesisTimeline, type ActiveFault } from './nemesis-timeline.js';
export { OpenLoopScheduler, type OpenLoopOptions } from './open-loop-scheduler.js';
export type { Executor, GenerateContext, OpCompletion, OpContext, OpGenerator, OpRequest } from './operation.js';
export { assembleResults, type AssembleResultsInput, type MeasuredLoad } from './results-assembly.js';
export { RunSession, type RunSessionOptions } from './run-session.js';
export { VirtualClock } from './virtual-clock.js';
