/**
 * One line of `history.jsonl` (DESIGN.md "Formats"), Jepsen-compatible.
 *
 * - `invoke`: a process starts an operation;
 * - `ok`: it definitely happened (its value is authoritative);
 * - `fail`: it definitely did not happen;
 * - `info`: it may or may not have happened (timeout, connection loss). A process that got
 *   `info` never invokes again.
 *
 * Nemesis actions are ops of process `"nemesis"`.
 */
export type OpType = 'invoke' | 'ok' | 'fail' | 'info';

export type ProcessId = number | 'nemesis' | string;

export interface Op {
  /** Position in the history, dense from 0. */
  index: number;
  /** The index the source file gave this op, when it differs from its position (Jepsen keeps sparse indices). */
  sourceIndex?: number;
  /** Nanoseconds since the run started (optional in foreign histories). */
  time?: number;
  process: ProcessId;
  type: OpType;
  /** Operation name: read, write, cas, acquire, txn, send, poll, ... */
  f: string;
  /** Argument (invoke) or result (completion). Absent when the source had none (mutex ops). */
  value?: unknown;
  /** Independent key (Jepsen `independent`): linearizability is checked per key. */
  key?: unknown;
  /** Node the client talked to, when known. */
  node?: string;
  error?: unknown;
  /** Anything else a foreign format carried; kept so reports can quote it. */
  [extra: string]: unknown;
}
