import { arrivalOffsets, type ArrivalProcess } from './arrival-schedule.js';
import { LatencyRecorder } from './latency-recorder.js';
import { loadPhases, measuredSeconds, secondsToNs, type LoadMeasurement, type LoadOptions } from './load-phases.js';
import { OpDispatcher } from './op-dispatcher.js';
import type { RunSession } from './run-session.js';
import { startProgressTicker } from './load-progress.js';
import { WorkerSlots } from './worker-slots.js';

/** Overdue arrivals started back to back before the scheduler yields to the event loop. */
const overdueBurst = 64;

export interface OpenLoopOptions extends LoadOptions {
  /** Target arrivals per second over all workers. */
  rate: number;
  /** Spacing of intended starts (default uniform). */
  arrival?: ArrivalProcess;
  /** Seed for Poisson arrivals (default 1). */
  seed?: number;
}

/**
 * Open-loop load: a schedule fixes when each operation should start, independent of how fast
 * earlier ones complete, and latency is measured from that intended start (wrk2, k6
 * constant-arrival-rate, OpenMessaging Benchmark). A server that stalls therefore shows the
 * stall in every op scheduled during it, not just in the one that was waiting: the run is
 * free of coordinated omission, and no HdrHistogram correction is applied on top.
 *
 * At each intended start the generator is asked for the next op and a worker slot is taken;
 * when `inFlight` ops are already outstanding the arrival is dropped and counted against its
 * op kind, never silently skipped. If the scheduler itself runs late (a busy event loop),
 * every overdue op starts at once and the lateness shows in the latency and start delay.
 */
export class OpenLoopScheduler {
  constructor(
    private readonly session: RunSession,
    private readonly opts: OpenLoopOptions,
  ) {}

  async run(): Promise<LoadMeasurement> {
    const { opts, session } = this;
    const phases = loadPhases(session.elapsedNs(), opts);
    const slots = new WorkerSlots(opts.inFlight);
    const recorder = new LatencyRecorder({
      mode: 'open',
      windowStartNs: phases.windowStartNs,
      windowLengthNs: phases.endNs - phases.windowStartNs,
      intervalNs: opts.intervalSeconds === undefined ? undefined : secondsToNs(opts.intervalSeconds),
    });
    const dispatcher = new OpDispatcher(session, opts.executor, slots, recorder);
    const arrivals = arrivalOffsets({ rate: opts.rate, arrival: opts.arrival ?? 'uniform', seed: opts.seed });

    let started = 0;
    let dropped = 0;
    let exhaustedAtNs: bigint | null = null;
    let stoppedEarlyNs: bigint | null = null;
    let overdueInARow = 0;
    const stopProgress = opts.onProgress
      ? startProgressTicker(
          session,
          1,
          () => ({ warmup: session.elapsedNs() < phases.windowStartNs, started, completed: dispatcher.finished, dropped, inFlight: dispatcher.size }),
          opts.onProgress,
        )
      : () => {};
    try {
      for (let seq = 0; ; seq++) {
        const intendedNs = phases.startNs + arrivals.next().value;
        if (intendedNs >= phases.endNs) break;
        if (intendedNs > session.elapsedNs()) {
          overdueInARow = 0;
          await session.sleepUntilElapsed(intendedNs, opts.signal);
        } else if (++overdueInARow % overdueBurst === 0) {
          // Catching up on overdue arrivals must not starve I/O: completions (which free
          // slots) are only seen when the event loop turns.
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
        if (opts.signal?.aborted) {
          stoppedEarlyNs = session.elapsedNs();
          break;
        }
        const op = opts.generator({ seq, warmup: intendedNs < phases.windowStartNs });
        if (op === null) {
          exhaustedAtNs = stoppedEarlyNs = intendedNs;
          break;
        }
        const slot = slots.acquire();
        if (slot === null) {
          dropped++;
          recorder.drop(op.f, intendedNs);
          continue;
        }
        started++;
        void dispatcher.launch(op, slot, intendedNs).then(() => slots.release(slot));
      }
    } catch (err) {
      // A generator that throws is a workload bug: give up on in-flight ops at once and report it.
      stopProgress();
      await dispatcher.drain(session.elapsedNs());
      throw err;
    }
    // A run cut short drains from when it stopped, not from the planned end.
    await dispatcher.drain((stoppedEarlyNs === null ? phases.endNs : session.elapsedNs()) + phases.drainTimeoutNs);
    stopProgress();

    return {
      mode: 'open',
      ops: recorder.finish(),
      phases,
      measuredSeconds: measuredSeconds(phases, stoppedEarlyNs, opts.durationSeconds),
      started,
      dropped,
      abandoned: dispatcher.abandoned,
      generatorExhausted: exhaustedAtNs !== null,
    };
  }
}
