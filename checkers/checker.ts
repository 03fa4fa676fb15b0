import type { HistoryFormat } from './history/history-format.js';
import type { OpDefaults } from './history/op-record.js';
import type { Op } from './history/op.js';

/** `true` valid, `false` a violation was found, `'unknown'` the budget ran out first. */
export type Validity = true | false | 'unknown';

export interface Anomaly {
  /** Stable anomaly name as Jepsen/Elle spell it: `G1c`, `lost-write`, `nonlinearizable`, ... */
  type: string;
  /** Plain words: what happened, which ops, why it is forbidden. */
  explanation: string;
  /** History indices of the ops involved. */
  ops?: number[];
  /** Checker-specific structured data (cycle edges, final paths, ...). */
  data?: unknown;
}

export interface CheckResult {
  /** Which checker produced this: `linearizability`, `elle`, `kafka-queue`, `zookeeper-session`, ... */
  checker: string;
  /** The model or workload it judged against: `cas-register`, `list-append`, ... */
  model: string;
  valid: Validity;
  /** Distinct anomaly types found, in the order the checker reports them. */
  anomalyTypes: string[];
  anomalies: Anomaly[];
  /** One paragraph in plain words, suitable for the top of a report. */
  summary: string;
  /** Figures about the check itself: ops, partitions, elapsed ms, cache entries, ... */
  stats?: Record<string, number>;
  /** Checker-specific payload the report's views render (linearization paths, cycles, ...). */
  details?: unknown;
}

export interface CheckOptions {
  /** Initial model state where the model has one (registers default to nil). */
  init?: unknown;
  /** Wall-clock budget; past it the verdict is `unknown`. */
  timeLimitMs?: number;
  /** Memory budget in MiB; past it the verdict is `unknown`. */
  memoryLimitMb?: number;
  /** Elle: consistency models to check against (default strict-serializable). */
  consistencyModels?: string[];
  /** Worker threads for partitioned checks (default: available parallelism). */
  workers?: number;
  /** Anything a specific checker understands. */
  [option: string]: unknown;
}

/** How a history file is to be read. */
export interface HistoryFileOptions {
  /** The file's format, as given or detected. */
  format: HistoryFormat;
  /** Fields to assume when the history leaves them out. */
  defaults?: OpDefaults;
}

/** A checker judges whole histories for one or more model names of `kzbench check --model`. */
export interface Checker {
  name: string;
  models: readonly string[];
  check(history: readonly Op[], model: string, opts?: CheckOptions): Promise<CheckResult>;
  /**
   * Fields a history of this model may leave out, and what to read for them: Elle's
   * transactional histories often have no `f` (Jepsen's read it as `txn`).
   */
  historyDefaults?(model: string): OpDefaults;
  /**
   * Checks a history file without it ever being held as Op objects (a streaming reader into
   * the checker's own compact form), for histories too big for that. Returns undefined when
   * it does not stream this format; the caller then reads the file and calls `check`.
   */
  checkFile?(path: string, model: string, file: HistoryFileOptions, opts?: CheckOptions): Promise<CheckResult | undefined>;
}
