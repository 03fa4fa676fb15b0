import type { NemesisInterval } from '../../reports/results-schema.js';
import type { RunSession } from './run-session.js';

/** An active fault; `end` heals it on the time line. */
export interface ActiveFault {
  readonly fault: string;
  end(detail?: unknown): void;
}

/**
 * When faults were active, for the report's shaded bands and for the history. Each start and
 * stop is also a history op of process `"nemesis"`, typed `info` as Jepsen logs nemesis
 * actions (`start-<fault>` / `stop-<fault>`), so checkers and readers see faults in line with
 * client ops.
 */
export class NemesisTimeline {
  private readonly intervals: NemesisInterval[] = [];

  constructor(private readonly session: RunSession) {}

  /** Marks `fault` as starting now on `nodes`; `detail` goes into the history op's value. */
  begin(fault: string, nodes: readonly string[], detail?: unknown): ActiveFault {
    const interval: NemesisInterval = { fault, start: this.session.elapsedSeconds(), end: null, nodes: [...nodes] };
    this.intervals.push(interval);
    this.session.history?.record({
      time: this.session.elapsedNs(),
      process: 'nemesis',
      type: 'info',
      f: `start-${fault}`,
      value: detail ?? [...nodes],
    });
    let ended = false;
    return {
      fault,
      end: (endDetail?: unknown) => {
        if (ended) return;
        ended = true;
        interval.end = this.session.elapsedSeconds();
        this.session.history?.record({
          time: this.session.elapsedNs(),
          process: 'nemesis',
          type: 'info',
          f: `stop-${fault}`,
          value: endDetail ?? [...nodes],
        });
      },
    };
  }

  /** Every interval so far; faults still active have `end: null`. */
  snapshot(): NemesisInterval[] {
    return this.intervals.map((i) => ({ ...i, nodes: [...i.nodes] }));
  }
}
