import { WakeupThread } from './wakeup-thread.js';

/**
 * The runner's notion of time: a monotonic nanosecond counter and a way to wait for a point
 * on it. Injected so tests can drive schedules deterministically (VirtualClock) while real
 * runs use process.hrtime.bigint.
 */
export interface Clock {
  /** Monotonic nanoseconds (arbitrary origin). */
  now(): bigint;
  /**
   * Resolves at or after `deadline` (same origin as `now`), or as soon as `signal` aborts, so
   * a wait that lost a race leaves no timer behind.
   */
  sleepUntil(deadline: bigint, signal?: AbortSignal): Promise<void>;
}

/** Below this much remaining time setTimeout (1 ms granularity) is no longer trusted. */
const timerSlackNs = 1_500_000n;
/**
 * How early the wakeup thread hands over to the event loop, which yields (setImmediate) for
 * the rest: a thread-to-loop message takes ~100 µs, a yield a few µs.
 */
const wakeupLeadNs = 200_000n;

/**
 * Real time. Long waits use setTimeout; the last 1.5 ms is handed to a wakeup thread that
 * blocks in a futex (see wakeup-thread.ts) until 200 µs before the deadline, and the event
 * loop yields with setImmediate for the rest. Ops leave within a few microseconds of their
 * intended start while the main thread spins for at most 200 µs per wait, instead of the whole
 * last stretch: on a small machine a spinning load generator takes a core away from the server
 * it measures. Measured (zk-hotpath, reference target, 2000 ops/s, 5 s, 2 cores): start delay
 * p50 5–8 µs and 8.6–10 s CPU for client and server together, against 3–5 µs and 11.4–11.6 s
 * spinning the whole last 1.5 ms, and 117–140 µs and 7.7–8.5 s when the thread wakes the loop
 * at the deadline itself. Lateness that remains (a busy event loop) is not hidden: latency is
 * measured from the intended start and the start delay is recorded beside it.
 */
export const systemClock: Clock = {
  now: () => process.hrtime.bigint(),
  async sleepUntil(deadline: bigint, signal?: AbortSignal): Promise<void> {
    if (deadline - timerSlackNs > process.hrtime.bigint()) await waitUntil(deadline - timerSlackNs, signal, false);
    if (signal?.aborted) return;
    if (deadline - wakeupLeadNs > process.hrtime.bigint()) await wakeupThread().wakeAt(deadline - wakeupLeadNs, signal);
    if (signal?.aborted) return;
    await waitUntil(deadline, signal, true);
  },
};

let sharedWakeupThread: WakeupThread | undefined;
function wakeupThread(): WakeupThread {
  sharedWakeupThread ??= new WakeupThread();
  return sharedWakeupThread;
}

/** Waits with setTimeout alone (`spin` false) or, below timerSlackNs, by yielding with setImmediate. */
function waitUntil(deadline: bigint, signal: AbortSignal | undefined, spin: boolean): Promise<void> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    let immediate: NodeJS.Immediate | undefined;
    const finish = (): void => {
      clearTimeout(timer);
      clearImmediate(immediate);
      signal?.removeEventListener('abort', finish);
      resolve();
    };
    const step = (): void => {
      const remaining = deadline - process.hrtime.bigint();
      if (remaining <= 0n) finish();
      else if (!spin) timer = setTimeout(step, Math.max(1, Math.ceil(Number(remaining) / 1e6)));
      else if (remaining > timerSlackNs) timer = setTimeout(step, Number((remaining - timerSlackNs) / 1_000_000n));
      else immediate = setImmediate(step);
    };
    if (signal?.aborted) return resolve();
    signal?.addEventListener('abort', finish, { once: true });
    step();
  });
}
