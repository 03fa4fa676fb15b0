/**
 * The contract between the runner and a workload. The runner knows nothing of ZooKeeper or
 * Kafka: a workload supplies a generator (what to do next) and an executor (do it and say
 * how it ended); the runner decides when, records latency and history, and counts outcomes.
 */

/** What a generator asks for: a Jepsen-style operation. */
export interface OpRequest {
  /** Operation kind: `create`, `read`, `cas`, `send`, ... Latency is recorded per kind. */
  f: string;
  value?: unknown;
  /** Independent key (per-key linearizability), when the workload has keys. */
  key?: unknown;
}

export interface GenerateContext {
  /** 0, 1, 2, ... over the run, including warm-up and ops that end up dropped. */
  seq: number;
  /** True while the run is warming up (its ops are executed and logged but not measured). */
  warmup: boolean;
}

/**
 * Returns the next operation, or `null` when the workload has nothing more to do (the run
 * then ends early, after in-flight ops complete). Called once per scheduled arrival, before
 * a worker is chosen, so dropped arrivals are still attributed to an operation kind.
 */
export type OpGenerator = (ctx: GenerateContext) => OpRequest | null;

export interface OpContext {
  /**
   * Worker slot, 0..inFlight-1. A slot runs one op at a time; workloads map slots to clients
   * or connections (e.g. `worker % connections`).
   */
  worker: number;
  /**
   * Jepsen process id for the history: starts at the worker index and moves on by `inFlight`
   * after an `info` outcome, because a process whose op may or may not have happened never
   * invokes again.
   */
  process: number;
  /** Intended start on the runner clock (ns); equals the actual start in closed loop. */
  intendedStart: bigint;
  /** Aborted when the run gives up waiting for in-flight ops at the end. */
  signal: AbortSignal;
  /**
   * Optional: call when the request actually leaves (e.g. after waiting for a connection or
   * an internal queue). Service time is measured from here; without a call, from the moment
   * the runner handed the op to the executor.
   */
  markSent(): void;
}

/** How an operation ended, in history terms (see checkers/history/op.ts). */
export interface OpCompletion {
  /** `ok` happened; `fail` definitely did not happen; `info` may or may not have happened. */
  type: 'ok' | 'fail' | 'info';
  /** Result value (a read's value); defaults to the request's value. */
  value?: unknown;
  error?: unknown;
  /** Node the client talked to, when known. */
  node?: string;
}

/**
 * Runs one operation against the system under test. Throwing is treated as `info` (the op
 * may or may not have happened), as Jepsen treats client exceptions.
 */
export type Executor = (op: OpRequest, ctx: OpContext) => Promise<OpCompletion>;
