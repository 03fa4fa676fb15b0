import { LatencyRecorder } from './latency-recorder.js';
import { loadPhases, secondsToNs, type LoadMeasurement, type LoadOptions } from './load-phases.js';
import { OpDispatcher } from './op-dispatcher.js';
import { measuredSeconds } from './open-loop-scheduler.js';
import type { RunSession } from './run-session.js';
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
    const worker = async (): Promise<void> => {
      const slot = slots.acquire()!;
      for (;;) {
        const startNs = session.elapsedNs();
        if (startNs >= phases.endNs || exhaustedAtNs !== null || opts.signal?.aborted) return;
        const op = opts.generator({ seq: seq++, warmup: startNs < phases.windowStartNs });
        if (op === null) {
          exhaustedAtNs = startNs;
          return;
        }
        started++;
        await dispatcher.launch(op, slot, startNs);
      }
    };
    const workers = Promise.all(Array.from({ length: opts.inFlight }, worker));
    // Workers stop by themselves at the end of the window; a worker stuck on an op that never
    // returns is freed by the drain, which abandons the op.
    const windowOver = new AbortController();
    await Promise.race([workers, session.sleepUntilElapsed(phases.endNs, windowOver.signal)]);
    windowOver.abort();
    const stoppedNs = session.elapsedNs() < phases.endNs ? session.elapsedNs() : phases.endNs;
    await dispatcher.drain(stoppedNs + phases.drainTimeoutNs);
    await workers;

    return {
      mode: 'closed',
      ops: recorder.finish(),
      phases,
      measuredSeconds: measuredSeconds(phases.windowStartNs, phases.endNs, exhaustedAtNs, opts.durationSeconds),
      started,
      dropped: 0,
      abandoned: dispatcher.abandoned,
      generatorExhausted: exhaustedAtNs !== null,
    };
  }
}
