import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { latencyStats, nsToLatencyUnit } from '../../../workloads/runner/latency-histogram.js';
import { LatencyRecorder } from '../../../workloads/runner/latency-recorder.js';

const s = (n: number): bigint => BigInt(Math.round(n * 1e9));

describe('HDR latency recording', () => {
  it('records whole microseconds', () => {
    expect(nsToLatencyUnit(0n)).toBe(0);
    expect(nsToLatencyUnit(-5n)).toBe(0);
    expect(nsToLatencyUnit(499n)).toBe(0);
    expect(nsToLatencyUnit(500n)).toBe(1);
    expect(nsToLatencyUnit(1_234_567n)).toBe(1235);
  });

  it('round-trips a histogram through base64 with its counts and quantiles', () => {
    const h = build({ numberOfSignificantValueDigits: 3 });
    for (let v = 1; v <= 10_000; v++) h.recordValue(v * 7);
    h.recordValue(3_600_000_000); // an hour-long stall still fits
    const stats = latencyStats(h);
    const back = decodeFromCompressedBase64(stats.histogram);
    expect(back.totalCount).toBe(10_001);
    expect(back.getValueAtPercentile(50)).toBe(h.getValueAtPercentile(50));
    expect(back.getValueAtPercentile(99.9)).toBe(h.getValueAtPercentile(99.9));
    // The encoding keeps bucket counts: the decoded max is the top of the max's bucket (0.1% precision).
    expect(back.maxValue).toBeGreaterThanOrEqual(h.maxValue);
    expect(back.maxValue).toBeLessThanOrEqual(h.maxValue * 1.001);
    expect(encodeIntoCompressedBase64(back)).toBe(stats.histogram);
    expect(stats.p50).toBeGreaterThan(34_900);
    expect(stats.p50).toBeLessThan(35_100);
    expect(stats.p99_99).toBeLessThanOrEqual(stats.max);
  });
});

describe('LatencyRecorder', () => {
  it('records only the measurement window, per op kind, with a zero-filled per-second series', () => {
    const r = new LatencyRecorder({ mode: 'open', windowStartNs: s(2), windowLengthNs: s(3) });
    // Warm-up op: ignored.
    r.complete({ f: 'get', type: 'ok', intendedNs: s(1.5), sentNs: s(1.5), doneNs: s(2.1) });
    r.complete({ f: 'get', type: 'ok', intendedNs: s(2.0), sentNs: s(2.0), doneNs: s(2.001) });
    r.complete({ f: 'get', type: 'fail', intendedNs: s(2.5), sentNs: s(2.6), doneNs: s(2.7) });
    r.drop('set', s(3.2));
    // Nothing completes in [3, 4): a stall must show as an empty interval.
    r.complete({ f: 'get', type: 'info', intendedNs: s(3.5), sentNs: s(3.5), doneNs: s(4.5) });
    // Intended after the window: not measured.
    r.complete({ f: 'get', type: 'ok', intendedNs: s(5.0), sentNs: s(5.0), doneNs: s(5.1) });
    const [get, set] = r.finish();
    expect(get!.op).toBe('get');
    expect(get!.counts).toEqual({ ok: 1, fail: 1, info: 1, dropped: 0 });
    expect(get!.series.map((p) => [p.t, p.ok, p.fail, p.info])).toEqual([
      [2, 1, 1, 0],
      [3, 0, 0, 0],
      [4, 0, 0, 1],
    ]);
    expect(get!.series[1]!.intended).toBeNull();
    expect(get!.series[0]!.intended).toMatchObject({ count: 2, p50: 1000, max: 200_000 });
    expect(get!.intended!.max).toBeGreaterThanOrEqual(1_000_000);
    expect(get!.service.max).toBeGreaterThanOrEqual(1_000_000);
    expect(get!.startDelay!.max).toBeGreaterThanOrEqual(100_000);
    expect(set!.counts).toEqual({ ok: 0, fail: 0, info: 0, dropped: 1 });
    expect(set!.series.map((p) => p.dropped)).toEqual([0, 1, 0]);
    expect(set!.service.count).toBe(0);
  });

  it('drops the intended-start view in closed loop', () => {
    const r = new LatencyRecorder({ mode: 'closed', windowStartNs: 0n, windowLengthNs: s(1) });
    r.complete({ f: 'x', type: 'ok', intendedNs: 0n, sentNs: 0n, doneNs: s(0.01) });
    const [x] = r.finish();
    expect(x!.intended).toBeNull();
    expect(x!.startDelay).toBeNull();
    expect(x!.series[0]!.intended).toBeNull();
    expect(x!.series[0]!.service!.p50).toBe(10_000);
  });
});
