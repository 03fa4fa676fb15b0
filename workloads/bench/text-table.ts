import { formatCount, formatLatency, formatRate } from '../../reports/number-format.js';
import type { Results } from '../../reports/results-schema.js';

/**
 * Columns two spaces apart, for stdout. By default the first column is left-aligned and the
 * others (numbers) right-aligned; `align` says otherwise per column.
 */
export function textTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>, align?: ReadonlyArray<'left' | 'right'>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const alignOf = (i: number) => align?.[i] ?? (i === 0 ? 'left' : 'right');
  const line = (cells: readonly string[]) => cells.map((c, i) => (alignOf(i) === 'left' ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/**
 * One line per run: throughput, outcome counts and the latency users saw (from the intended
 * start in open loop; service time in closed loop, marked). With repetitions, ok/s, p50 and
 * p99 are their medians (as the comparisons use); counts and max are the median-throughput
 * repetition's.
 */
export function runsTable(results: Results): string {
  const rows = results.runs.map((run) => {
    const latency = run.latency.intended ?? run.latency.service;
    const which = run.latency.intended ? '' : ' (svc)';
    const reps = run.repetitions;
    return [
      run.id,
      run.mode,
      formatRate(median(reps?.map((r) => r.okPerSecond)) ?? run.throughput.okPerSecond),
      formatCount(run.counts.ok),
      formatCount(run.counts.fail),
      formatCount(run.counts.info),
      formatCount(run.counts.dropped),
      formatLatency(median(reps?.map((r) => r.p50)) ?? latency.p50) + which,
      formatLatency(median(reps?.map((r) => r.p99)) ?? latency.p99) + which,
      formatLatency(latency.max) + which,
    ];
  });
  return textTable(['run', 'loop', 'ok/s', 'ok', 'fail', 'info', 'dropped', 'p50', 'p99', 'max'], rows);
}

export function median(values: readonly number[] | undefined): number | null {
  if (!values || values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
