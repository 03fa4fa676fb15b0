import type { RunSession } from './run-session.js';

/** A snapshot of a running load, for once-a-second progress lines. */
export interface LoadProgress {
  /** Seconds since the run started. */
  elapsedSeconds: number;
  /** Still warming up (nothing measured yet). */
  warmup: boolean;
  started: number;
  completed: number;
  dropped: number;
  inFlight: number;
}

export type ProgressListener = (progress: LoadProgress) => void;

/**
 * Calls `listener` every `everySeconds` on the session clock (so it follows a VirtualClock in
 * tests) until stopped. The CLI prints these as tick lines on stderr.
 */
export function startProgressTicker(
  session: RunSession,
  everySeconds: number,
  snapshot: () => Omit<LoadProgress, 'elapsedSeconds'>,
  listener: ProgressListener,
): () => void {
  const stop = new AbortController();
  const stepNs = BigInt(Math.max(1, Math.round(everySeconds * 1e9)));
  void (async () => {
    let next = session.elapsedNs() + stepNs;
    for (;;) {
      await session.sleepUntilElapsed(next, stop.signal);
      if (stop.signal.aborted) return;
      listener({ elapsedSeconds: session.elapsedSeconds(), ...snapshot() });
      next += stepNs;
    }
  })();
  return () => stop.abort();
}
