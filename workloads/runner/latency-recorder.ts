import type { Histogram } from 'hdr-histogram-js';
import type { Counts, IntervalPoint, LatencyStats, LoadMode } from '../../reports/results-schema.js';
import { createLatencyHistogram, intervalQuantiles, latencyStats, nsToLatencyUnit } from './latency-histogram.js';

/** What one operation kind measured over the measurement window. */
export interface OpKindMeasurement {
  op: string;
  counts: Counts;
  /** Null in closed loop: without a schedule there is no intended start. */
  intended: LatencyStats | null;
  service: LatencyStats;
  startDelay: LatencyStats | null;
  intervalSeconds: number;
  series: IntervalPoint[];
}

/** One completed (or abandoned) operation, times in ns since the run started. */
export interface CompletionTiming {
  f: string;
  type: 'ok' | 'fail' | 'info';
  intendedNs: bigint;
  sentNs: bigint;
  doneNs: bigint;
}

interface IntervalAccumulator {
  index: number;
  ok: number;
  fail: number;
  info: number;
}

/**
 * HDR recording for one operation kind: whole-run histograms of intended-start latency,
 * service time and start delay, plus one interval histogram pair per second for the time
 * series. Values are plain `recordValue`s: open-loop timing from the intended start already
 * accounts for coordinated omission, so no expected-interval correction is ever applied.
 *
 * Intervals are aligned to the start of the measurement window and indexed by completion
 * time; completions arrive in clock order, so only the current interval is open.
 */
class OpKindRecorder {
  private readonly intended = createLatencyHistogram();
  private readonly service = createLatencyHistogram();
  private readonly startDelay = createLatencyHistogram();
  // Reused for every interval: summarised and reset when the interval closes.
  private readonly intervalIntended: Histogram = createLatencyHistogram();
  private readonly intervalService: Histogram = createLatencyHistogram();
  private readonly counts: Counts = { ok: 0, fail: 0, info: 0, dropped: 0 };
  private readonly points = new Map<number, IntervalPoint>();
  private readonly droppedByInterval = new Map<number, number>();
  private open: IntervalAccumulator | null = null;

  constructor(
    readonly op: string,
    private readonly mode: LoadMode,
    private readonly windowStartNs: bigint,
    private readonly intervalNs: bigint,
  ) {}

  complete(t: CompletionTiming): void {
    this.counts[t.type]++;
    const intendedUs = nsToLatencyUnit(t.doneNs - t.intendedNs);
    const serviceUs = nsToLatencyUnit(t.doneNs - t.sentNs);
    this.intended.recordValue(intendedUs);
    this.service.recordValue(serviceUs);
    this.startDelay.recordValue(nsToLatencyUnit(t.sentNs - t.intendedNs));

    const index = this.intervalIndex(t.doneNs);
    if (this.open && this.open.index !== index) this.closeInterval();
    if (!this.open) {
      this.open = { index, ok: 0, fail: 0, info: 0 };
    }
    this.open[t.type]++;
    this.intervalIntended.recordValue(intendedUs);
    this.intervalService.recordValue(serviceUs);
  }

  drop(intendedNs: bigint): void {
    this.counts.dropped++;
    const index = this.intervalIndex(intendedNs);
    this.droppedByInterval.set(index, (this.droppedByInterval.get(index) ?? 0) + 1);
  }

  finish(lastIndex: number): OpKindMeasurement {
    if (this.open) this.closeInterval();
    const last = Math.max(lastIndex, ...this.points.keys(), ...this.droppedByInterval.keys());
    const series: IntervalPoint[] = [];
    const windowStartSeconds = Number(this.windowStartNs) / 1e9;
    const intervalSeconds = Number(this.intervalNs) / 1e9;
    // Every interval appears, empty ones included: a second with no completions is a stall
    // the throughput chart must show as zero, not skip.
    for (let i = 0; i <= last; i++) {
      const point = this.points.get(i) ?? emptyPoint(windowStartSeconds + i * intervalSeconds);
      point.dropped = this.droppedByInterval.get(i) ?? 0;
      series.push(point);
    }
    const closed = this.mode === 'closed';
    if (closed) for (const p of series) p.intended = null;
    const result: OpKindMeasurement = {
      op: this.op,
      counts: { ...this.counts },
      intended: closed ? null : latencyStats(this.intended),
      service: latencyStats(this.service),
      startDelay: closed ? null : latencyStats(this.startDelay),
      intervalSeconds,
      series,
    };
    return result;
  }

  private intervalIndex(ns: bigint): number {
    const since = ns - this.windowStartNs;
    return since <= 0n ? 0 : Number(since / this.intervalNs);
  }

  private closeInterval(): void {
    const acc = this.open!;
    this.open = null;
    const windowStartSeconds = Number(this.windowStartNs) / 1e9;
    this.points.set(acc.index, {
      t: windowStartSeconds + (acc.index * Number(this.intervalNs)) / 1e9,
      ok: acc.ok,
      fail: acc.fail,
      info: acc.info,
      dropped: 0,
      intended: intervalQuantiles(this.intervalIntended),
      service: intervalQuantiles(this.intervalService),
    });
    this.intervalIntended.reset();
    this.intervalService.reset();
  }
}

function emptyPoint(t: number): IntervalPoint {
  return { t, ok: 0, fail: 0, info: 0, dropped: 0, intended: null, service: null };
}

export interface LatencyRecorderOptions {
  mode: LoadMode;
  /** Start of the measurement window, ns since the run started (the warm-up length). */
  windowStartNs: bigint;
  /** Length of the measurement window, ns: the series covers at least this much. */
  windowLengthNs: bigint;
  /** Interval for the time series (default 1 s). */
  intervalNs?: bigint;
}

/**
 * Latency and outcome recording for one implementation × client, split by operation kind.
 * Only operations whose intended start lies in the measurement window are recorded; warm-up
 * operations still run (and appear in the history) but leave no trace here.
 */
export class LatencyRecorder {
  private readonly kinds = new Map<string, OpKindRecorder>();
  private readonly intervalNs: bigint;

  constructor(private readonly opts: LatencyRecorderOptions) {
    this.intervalNs = opts.intervalNs ?? 1_000_000_000n;
    if (this.intervalNs <= 0n) throw new RangeError('intervalNs must be > 0');
  }

  /** True when an op intended to start at `intendedNs` belongs to the measurement window. */
  measures(intendedNs: bigint): boolean {
    return intendedNs >= this.opts.windowStartNs && intendedNs < this.opts.windowStartNs + this.opts.windowLengthNs;
  }

  complete(t: CompletionTiming): void {
    if (this.measures(t.intendedNs)) this.kind(t.f).complete(t);
  }

  drop(f: string, intendedNs: bigint): void {
    if (this.measures(intendedNs)) this.kind(f).drop(intendedNs);
  }

  /** Measurements per operation kind, in the order kinds were first seen. */
  finish(): OpKindMeasurement[] {
    const lastIndex = Math.max(0, Math.ceil(Number(this.opts.windowLengthNs) / Number(this.intervalNs)) - 1);
    return [...this.kinds.values()].map((k) => k.finish(lastIndex));
  }

  private kind(f: string): OpKindRecorder {
    let k = this.kinds.get(f);
    if (!k) {
      k = new OpKindRecorder(f, this.opts.mode, this.opts.windowStartNs, this.intervalNs);
      this.kinds.set(f, k);
    }
    return k;
  }
}
