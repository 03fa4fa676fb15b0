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

/** Below this much remaining time the system clock stops trusting setTimeout (1 ms granularity). */
const timerSlackNs = 1_500_000n;

/**
 * Real time. Long waits use setTimeout and wake a little early; the last stretch yields with
 * setImmediate so sends start close to their intended time while I/O keeps flowing. Lateness
 * that remains is not hidden: latency is measured from the intended start, and the start delay
 * is recorded separately.
 */
export const systemClock: Clock = {
  now: () => process.hrtime.bigint(),
  sleepUntil(deadline: bigint, signal?: AbortSignal): Promise<void> {
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
        else if (remaining > timerSlackNs) timer = setTimeout(step, Number((remaining - timerSlackNs) / 1_000_000n));
        else immediate = setImmediate(step);
      };
      if (signal?.aborted) return resolve();
      signal?.addEventListener('abort', finish, { once: true });
      step();
    });
  },
};
