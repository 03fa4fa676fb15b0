import { systemClock, type Clock } from './clock.js';
import type { HistoryRecorder } from './history-recorder.js';
import { NemesisTimeline } from './nemesis-timeline.js';

export interface RunSessionOptions {
  clock?: Clock;
  /** Where client and nemesis ops go; omit for pure benchmarks that need no history. */
  history?: HistoryRecorder;
}

/**
 * One run's time line: its origin (t = 0 for `history.jsonl`, the series and nemesis bands),
 * the clock, the history and the nemesis timeline. The schedulers and the nemesis share it so
 * their times line up.
 */
export class RunSession {
  readonly clock: Clock;
  readonly originNs: bigint;
  readonly history: HistoryRecorder | undefined;
  readonly nemesis: NemesisTimeline;

  constructor(opts: RunSessionOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    this.originNs = this.clock.now();
    this.history = opts.history;
    this.nemesis = new NemesisTimeline(this);
  }

  /** Nanoseconds since the run started. */
  elapsedNs(): bigint {
    return this.clock.now() - this.originNs;
  }

  elapsedSeconds(): number {
    return Number(this.elapsedNs()) / 1e9;
  }

  /** Waits until `ns` after the origin. */
  sleepUntilElapsed(ns: bigint, signal?: AbortSignal): Promise<void> {
    return this.clock.sleepUntil(this.originNs + ns, signal);
  }
}
