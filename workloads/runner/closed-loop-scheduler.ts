import { LatencyRecorder } from './latency-recorder.js';
import { loadPhases, measuredSeconds, secondsToNs, type LoadMeasurement, type LoadOptions } from './load-phases.js';
import { OpDispatcher } from './op-dispatcher.js';
import type { RunSession } from './run-session.js';
import { startProgressTicker } from './load-progress.js';
import { WorkerSlots } from './worker-slots.js';

/**
 * Closed-loop load for max-throughput search: `inFlight` workers each start their next op as
 * soon as the previous one completes, flat out. There is no schedule, so latency is service
 * time only, and it understates what users would see when the system stalls (the workers
 * simply wait: coordinated omission). Results say `mode: "closed"` and the report says so.
 */
export class ClosedLoopScheduler {
  constructor(
    private readonly session: RunSession,
    private readonly opts: LoadOptions,
  ) {}

  async run(): Promise<LoadMeasurement> {
    const { opts, session } = this;
    const phases = loadPhases(session.elapsedNs(), opts);
    // Each worker owns its slot for the whole run; the pool only tracks process ids.
    const slots = new WorkerSlots(opts.inFlight);
    const recorder = new LatencyRecorder({
      mode: 'closed',
      windowStartNs: phases.windowStartNs,
      windowLengthNs: phases.endNs - phases.windowStartNs,
      intervalNs: opts.intervalSeconds === undefined ? undefined : secondsToNs(opts.intervalSeconds),
    });
    const dispatcher = new OpDispatcher(session, opts.executor, slots, recorder);

    let seq = 0;
    let started = 0;
    let exhaustedAtNs: bigint | null = null;
    let stoppedEarlyNs: bigint | null = null;
    let generatorError: { error: unknown } | null = null;
    let stopNow!: () => void;
    const stopRequested = new Promise<void>((resolve) => (stopNow = resolve));
    const worker = async (): Promise<void> => {
      const slot = slots.acquire()!;
      for (;;) {
        const startNs = session.elapsedNs();
        if (startNs >= phases.endNs || stoppedEarlyNs !== null) return;
        if (opts.signal?.aborted) {
          stoppedEarlyNs = startNs;
          return;
        }
        let op;
        try {
          op = opts.generator({ seq: seq++, warmup: startNs < phases.windowStartNs });
        } catch (error) {
          generatorError ??= { error };
          stoppedEarlyNs = startNs;
          stopNow();
          return;
        }
        if (op === null) {
          exhaustedAtNs ??= startNs;
          stoppedEarlyNs ??= startNs;
          return;
        }
        started++;
        await dispatcher.launch(op, slot, startNs);
      }
    };
    const stopProgress = opts.onProgress
      ? startProgressTicker(
          session,
          1,
          () => ({ warmup: session.elapsedNs() < phases.windowStartNs, started, completed: dispatcher.finished, dropped: 0, inFlight: dispatcher.size }),
          opts.onProgress,
        )
      : () => {};
    const workers = Promise.all(Array.from({ length: opts.inFlight }, worker));
    // Workers stop by themselves at the end of the window; a worker stuck on an op that never
    // returns is freed by the drain, which abandons the op.
    const windowOver = new AbortController();
    const wake = opts.signal ? AbortSignal.any([windowOver.signal, opts.signal]) : windowOver.signal;
    await Promise.race([workers, stopRequested, session.sleepUntilElapsed(phases.endNs, wake)]);
    windowOver.abort();
    if (opts.signal?.aborted) stoppedEarlyNs ??= session.elapsedNs();
    if (generatorError) await dispatcher.drain(session.elapsedNs());
    const stoppedNs = session.elapsedNs() < phases.endNs ? session.elapsedNs() : phases.endNs;
    await dispatcher.drain(stoppedNs + phases.drainTimeoutNs);
    await workers;
    stopProgress();
    if (generatorError) throw (generatorError as { error: unknown }).error;

    return {
      mode: 'closed',
      ops: recorder.finish(),
      phases,
      measuredSeconds: measuredSeconds(phases, stoppedEarlyNs, opts.durationSeconds),
      started,
      dropped: 0,
      abandoned: dispatcher.abandoned,
      generatorExhausted: exhaustedAtNs !== null,
    };
  }
}
