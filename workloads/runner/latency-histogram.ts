import { build, encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';
import type { IntervalQuantiles, LatencyStats } from '../../reports/results-schema.js';

/**
 * Latencies are recorded as integer microseconds: HdrHistogram keeps integers only, µs
 * resolves loopback round trips (tens of µs), and with 3 significant digits a histogram
 * stays small while covering hours of stall.
 */
export const latencyUnit = 'us' as const;

/** ns (bigint, from the runner clock) to whole µs, rounded to nearest; negative clamps to 0. */
export function nsToLatencyUnit(ns: bigint): number {
  if (ns <= 0n) return 0;
  return Number((ns + 500n) / 1000n);
}

export function createLatencyHistogram(): Histogram {
  // 3 significant digits: 0.1% value precision; autoResize so any stall length fits.
  return build({ numberOfSignificantValueDigits: 3, autoResize: true });
}

/**
 * HdrHistogram answers a percentile with the top of its bucket, which can exceed the recorded
 * maximum by up to the value precision; clamp so a table never shows p99.9 > max.
 */
function quantile(h: Histogram, percentile: number): number {
  return Math.min(h.getValueAtPercentile(percentile), h.maxValue);
}

export function latencyStats(h: Histogram): LatencyStats {
  return {
    count: h.totalCount,
    mean: h.totalCount === 0 ? 0 : h.mean,
    p50: quantile(h, 50),
    p90: quantile(h, 90),
    p99: quantile(h, 99),
    p99_9: quantile(h, 99.9),
    p99_99: quantile(h, 99.99),
    max: h.maxValue,
    histogram: encodeIntoCompressedBase64(h),
  };
}

export function intervalQuantiles(h: Histogram): IntervalQuantiles | null {
  if (h.totalCount === 0) return null;
  return {
    count: h.totalCount,
    p50: quantile(h, 50),
    p90: quantile(h, 90),
    p99: quantile(h, 99),
    max: h.maxValue,
  };
}
