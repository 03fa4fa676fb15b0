import type { ProcessId } from '../history/op.js';

/** An op as failure reports quote it (Knossos quotes the completion: type ok or info). */
export interface ReportedOp {
  /** History index of the completion (of the invocation when the op never completed). */
  index: number;
  invokeIndex: number;
  process: ProcessId;
  type: 'ok' | 'info';
  f: string;
  value: unknown;
  key?: unknown;
}

/** One step of a final path: the op applied and the model state it led to, or why it could not apply. */
export interface PathStep {
  op: ReportedOp;
  /** The state after the op, as the model describes it; for an inconsistent step, the reason. */
  state: string;
  inconsistent?: true;
}

/** An op of the partition, for the timeline view. `id` is its position in `timeline`. */
export interface TimelineOp {
  id: number;
  process: ProcessId;
  f: string;
  value: unknown;
  outcome: 'ok' | 'info';
  invokeIndex: number;
  completeIndex: number | null;
  /** Left out of the search: it cannot change the state nor fail (a read of nil). */
  noOp?: true;
}

export interface PartitionFailure {
  /** The first ok op (in completion order) that no linearization of everything before it can take. */
  op: ReportedOp;
  /** The ok op completed just before it in the history (Knossos' previous-ok). */
  previousOk: ReportedOp | null;
  /** The model's objection in the shortest final path that ends at `op`. */
  reason: string;
  /** Orders of the ops still pending when `op` completed, each ending where the model objects (at most maxFinalPaths). */
  finalPaths: PathStep[][];
  /** Distinct final paths found (may exceed finalPaths.length). */
  finalPathCount: number;
  /** The enumeration stopped at its bound, so finalPathCount is a lower bound. */
  finalPathsBounded: boolean;
  /** Everything the HTML view draws. */
  timeline: TimelineOp[];
  initialState: string;
  /** The deepest partial linearization the search reached: timeline ids and the state after each. */
  longest: { id: number; state: string }[];
  failingId: number;
}

export interface PartitionStats {
  ops: number;
  searchedOps: number;
  noOps: number;
  infoOps: number;
  cacheEntries: number;
  states: number;
  steps: number;
  elapsedMs: number;
}

export interface PartitionCheckResult {
  label: string;
  key?: unknown;
  verdict: 'valid' | 'invalid' | 'unknown';
  /** Why unknown: the budget ran out, or the check stopped at a violation elsewhere first. */
  cause?: 'timeout' | 'out-of-memory' | 'stopped';
  stats: PartitionStats;
  failure?: PartitionFailure;
}
