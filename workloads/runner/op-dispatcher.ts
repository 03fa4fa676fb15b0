import { setMaxListeners } from 'node:events';
import type { LatencyRecorder } from './latency-recorder.js';
import type { Executor, OpCompletion, OpContext, OpRequest } from './operation.js';
import type { RunSession } from './run-session.js';
import type { WorkerSlots } from './worker-slots.js';

interface InFlightOp {
  op: OpRequest;
  slot: number;
  process: number;
  intendedNs: bigint;
  sentNs: bigint;
  /** Resolves once the op is recorded, whether it completed or was abandoned. */
  settled: Promise<void>;
  settle: () => void;
}

/**
 * Starts operations on worker slots and records how they end, for both load models: the
 * history (invoke at the actual start, completion when it returns), latency from the intended
 * start and from the actual send, and the slot's process id (retired after `info`). It owns
 * the end-of-run drain: ops still in flight past the drain deadline are abandoned and logged
 * as `info`. Releasing the slot is the scheduler's business.
 *
 * All times are ns since the run started (RunSession origin).
 */
export class OpDispatcher {
  private readonly inFlight = new Set<InFlightOp>();
  private readonly abort = new AbortController();
  private abandonedCount = 0;
  private finishedCount = 0;

  constructor(
    private readonly session: RunSession,
    private readonly executor: Executor,
    private readonly slots: WorkerSlots,
    private readonly recorder: LatencyRecorder,
  ) {
    // One signal is shared by every op in flight (hundreds under an open-loop backlog), and an
    // executor may listen on it per op: that is the design, not a leak.
    setMaxListeners(0, this.abort.signal);
  }

  get abandoned(): number {
    return this.abandonedCount;
  }

  get size(): number {
    return this.inFlight.size;
  }

  /** Ops recorded as completed (abandoned ones included). */
  get finished(): number {
    return this.finishedCount;
  }

  /** Starts `op` on `slot` (already acquired); resolves once it has been recorded. */
  launch(op: OpRequest, slot: number, intendedNs: bigint): Promise<void> {
    const process = this.slots.processOf(slot);
    const handedNs = this.session.elapsedNs();
    this.session.history?.record({ time: handedNs, process, type: 'invoke', f: op.f, value: op.value, key: op.key });
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const entry: InFlightOp = { op, slot, process, intendedNs, sentNs: handedNs, settled, settle };
    this.inFlight.add(entry);
    let marked = false;
    const ctx: OpContext = {
      worker: slot,
      process,
      intendedStart: this.session.originNs + intendedNs,
      signal: this.abort.signal,
      markSent: () => {
        if (marked) return;
        marked = true;
        entry.sentNs = this.session.elapsedNs();
      },
    };
    void this.invoke(op, ctx).then((completion) => {
      // An abandoned op was already logged as info; what it returns later changes nothing.
      if (this.inFlight.has(entry)) this.finish(entry, completion);
    });
    return settled;
  }

  /**
   * Waits for in-flight ops until `deadlineNs` (since the run started); past it, aborts the
   * rest and logs them as `info` (they may or may not have happened).
   */
  async drain(deadlineNs: bigint): Promise<void> {
    if (this.inFlight.size === 0) return;
    const stopWaiting = new AbortController();
    const all = Promise.all([...this.inFlight].map((e) => e.settled));
    await Promise.race([all, this.session.sleepUntilElapsed(deadlineNs, stopWaiting.signal)]);
    stopWaiting.abort();
    if (this.inFlight.size === 0) return;
    this.abort.abort(new Error('the run ended with this operation still in flight'));
    for (const entry of [...this.inFlight]) {
      this.abandonedCount++;
      this.finish(entry, { type: 'info', error: 'abandoned: still in flight when the run ended' });
    }
  }

  private async invoke(op: OpRequest, ctx: OpContext): Promise<OpCompletion> {
    try {
      const completion = await this.executor(op, ctx);
      if (!completion || (completion.type !== 'ok' && completion.type !== 'fail' && completion.type !== 'info')) {
        return { type: 'info', error: `executor returned an invalid completion: ${JSON.stringify(completion)}` };
      }
      return completion;
    } catch (err) {
      // Jepsen's rule: a client exception leaves the op indeterminate.
      return { type: 'info', error: err };
    }
  }

  private finish(entry: InFlightOp, completion: OpCompletion): void {
    this.inFlight.delete(entry);
    this.finishedCount++;
    const doneNs = this.session.elapsedNs();
    const { op } = entry;
    this.session.history?.record({
      time: doneNs,
      process: entry.process,
      type: completion.type,
      f: op.f,
      value: 'value' in completion ? completion.value : op.value,
      key: op.key,
      node: completion.node,
      error: completion.error,
    });
    this.recorder.complete({ f: op.f, type: completion.type, intendedNs: entry.intendedNs, sentNs: entry.sentNs, doneNs });
    if (completion.type === 'info') this.slots.retireProcess(entry.slot);
    entry.settle();
  }
}
