import type { Op, ProcessId } from '../../checkers/history/op.js';
import { HistoryRecorder } from '../runner/history-recorder.js';

/**
 * The history of an exactly-once run, in the op shapes of docs/checkers-kafka.md: `send` ops
 * of the input producer, `txn` ops of the copiers (a poll of input, sends of what was read to
 * the output), `poll` ops of the verifier. Times are ns since the run started. A client whose
 * op ends `info` continues under a new process id, as Jepsen requires.
 */
export class EosHistory {
  private nextProcess = 0;
  private readonly now: () => bigint;

  /**
   * `clock`: ns since the run started (a runner session's clock); default: since construction.
   * `firstProcess`: where process ids start, to stay clear of the runner's workers.
   */
  constructor(
    readonly recorder: HistoryRecorder = new HistoryRecorder({ keep: true }),
    clock?: () => bigint,
    firstProcess = 0,
  ) {
    const started = process.hrtime.bigint();
    this.now = clock ?? (() => process.hrtime.bigint() - started);
    this.nextProcess = firstProcess;
  }

  get ops(): readonly Op[] {
    return this.recorder.ops;
  }

  newProcess(): number {
    return this.nextProcess++;
  }

  /** Records the invocation; the returned function records the completion. */
  invoke(process: ProcessId, f: string, value: unknown): (type: 'ok' | 'fail' | 'info', value: unknown, error?: unknown) => void {
    this.recorder.record({ time: this.now(), process, type: 'invoke', f, value });
    return (type, completion, error) => this.recorder.record({ time: this.now(), process, type, f, value: completion, error });
  }

  close(): Promise<void> {
    return this.recorder.close();
  }
}

/** History key of a topic-partition: the checker tells inputs from outputs by the `in` / `out` prefix. */
export function partitionKey(role: 'in' | 'out', partition: number): string {
  return `${role}-${partition}`;
}
