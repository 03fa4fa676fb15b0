import { decodeFromCompressedBase64 } from 'hdr-histogram-js';

/** Position of percentile `p` on the nines axis: 0 → 0, 90 → 1, 99 → 2, 99.9 → 3. */
export function nines(percentile: number): number {
  return Math.log10(100 / (100 - percentile));
}

/** The percentile at nines-axis position `x`. */
export function percentileAt(x: number): number {
  return 100 - 100 / Math.pow(10, x);
}

/**
 * How far right a spectrum is worth drawing: the nines a histogram of `count` values
 * resolves (one op in `count` sits `log10(count)` nines out; half a nine more reaches the
 * maximum), capped at 99.9999%.
 */
export function resolvableNines(count: number): number {
  return count <= 1 ? 1 : Math.min(6, Math.log10(count) + 0.5);
}

/** Evenly spaced nines-axis positions from 0 to `maxNines` (inclusive). */
export function ninesGrid(maxNines: number, step = 0.05): number[] {
  const n = Math.ceil(maxNines / step - 1e-9);
  return Array.from({ length: n + 1 }, (_, i) => Math.min(maxNines, i * step));
}

/**
 * The latency at each grid position from a base64 HdrHistogram (the value `p`% of ops were at
 * or below), clamped to the recorded maximum; null past what the histogram resolves.
 */
export function percentileSpectrum(histogramBase64: string, grid: readonly number[]): (number | null)[] {
  const h = decodeFromCompressedBase64(histogramBase64);
  try {
    if (h.totalCount === 0) return grid.map(() => null);
    const limit = resolvableNines(h.totalCount) + 1e-9;
    return grid.map((x) => (x > limit ? null : Math.min(h.getValueAtPercentile(percentileAt(x)), h.maxValue)));
  } finally {
    h.destroy();
  }
}
