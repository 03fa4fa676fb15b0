/**
 * How numbers read in reports. These functions are also inlined into the report's browser
 * script (via their source text), so chart axes and tables agree; they must stay
 * self-contained: no imports, no closures, plain expressions only.
 */

/** A latency in µs, with a unit that keeps 3 significant figures: `850 µs`, `1.25 ms`, `2.10 s`. */
export function formatLatency(us: number | null | undefined): string {
  if (us === null || us === undefined || !Number.isFinite(us)) return '—';
  // Thresholds sit where rounding to 3 figures would carry into the next unit.
  if (us < 999.5) return `${Math.round(us)} µs`;
  if (us < 999_500) return `${(us / 1000).toPrecision(3)} ms`;
  if (us < 59_950_000) return `${(us / 1_000_000).toPrecision(3)} s`;
  return `${(us / 60_000_000).toPrecision(3)} min`;
}

/** Operations per second: `950/s`, `12.3k/s`, `1.20M/s`. */
export function formatRate(perSecond: number | null | undefined): string {
  if (perSecond === null || perSecond === undefined || !Number.isFinite(perSecond)) return '—';
  if (perSecond < 999.5) return `${perSecond < 10 ? perSecond.toPrecision(2).replace(/\.0+$/, '') : Math.round(perSecond)}/s`;
  if (perSecond < 999_500) return `${(perSecond / 1000).toPrecision(3)}k/s`;
  return `${(perSecond / 1_000_000).toPrecision(3)}M/s`;
}

/** A percentile on the nines axis: `x = log10(100 / (100 - p))`, labelled `50%`, `99.9%`, ... */
export function formatNines(x: number): string {
  const p = 100 - 100 / Math.pow(10, x);
  if (p <= 0) return '0%';
  const digits = Math.max(0, Math.ceil(x - 2 + 1e-9));
  return `${p.toFixed(digits).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '')}%`;
}

/** Whole counts with thousands separators. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A ratio as `1.84×`. */
export function formatRatio(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return '—';
  return `${ratio >= 10 ? ratio.toFixed(1) : ratio >= 0.1 ? ratio.toFixed(2) : ratio.toPrecision(2)}×`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}
