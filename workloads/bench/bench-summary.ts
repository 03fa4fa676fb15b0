import { formatLatency, formatRatio, formatRate } from '../../reports/number-format.js';
import type { Comparison } from '../../reports/results-schema.js';
import type { SuiteOutput } from './suite-results.js';
import { runsTable, textTable } from './text-table.js';
import type { ThresholdOutcome } from './thresholds.js';

/** The ratios worth a line: throughput, and p50/p99 of the latency users see. */
function headlineComparisons(comparisons: readonly Comparison[]): Comparison[] {
  return comparisons.filter((c) => c.metric === 'okPerSecond' || ((c.metric === 'p50' || c.metric === 'p99') && c.latency !== 'service'));
}

function value(c: Comparison, v: number): string {
  return c.metric === 'okPerSecond' ? formatRate(v) : formatLatency(v);
}

/** Plain-text summary of a bench for stdout: per results document, its runs and its ratios. */
export function benchSummaryText(
  outputs: readonly SuiteOutput[],
  thresholds: readonly ThresholdOutcome[],
  indexPath: string | null,
  pages: ReadonlyArray<{ name: string; summary: string; reportPath: string }> = [],
): string {
  const parts: string[] = [];
  for (const o of outputs) {
    parts.push(`== ${o.name}: ${o.results.title}`);
    parts.push(runsTable(o.results));
    const comps = headlineComparisons(o.results.comparisons);
    if (comps.length > 0) {
      parts.push(
        textTable(
          ['op', 'metric', 'baseline', 'candidate', 'ratio (cand/base)'],
          comps.map((c) => [c.op, c.metric === 'okPerSecond' ? 'ok/s' : c.metric, `${c.baseline.split(' / ').slice(0, 2).join('/')} ${value(c, c.baselineValue)}`, `${c.candidate.split(' / ').slice(0, 2).join('/')} ${value(c, c.candidateValue)}`, formatRatio(c.ratio)]),
          ['left', 'left', 'right', 'right', 'right'],
        ),
      );
    }
    const cpu = o.results.config.extra?.clientCpuMicrosPerOp as Record<string, number> | undefined;
    if (cpu && o.name.includes('-clients')) {
      parts.push(textTable(['run', 'client CPU µs/op'], Object.entries(cpu).map(([id, us]) => [id, us.toFixed(1)])));
    }
    for (const note of o.results.notes) parts.push(`note: ${note}`);
    parts.push('');
  }
  for (const p of pages) parts.push(`== ${p.name}: ${p.summary}\n${p.reportPath}\n`);
  if (thresholds.length > 0) {
    parts.push('== thresholds');
    for (const t of thresholds) parts.push(`${t.passed === null ? 'NOT EVALUATED' : t.passed ? 'ok      ' : 'BREACHED'}  ${t.threshold.text}  (${t.detail})`);
    parts.push('');
  }
  if (indexPath) parts.push(`report: ${indexPath}`);
  return parts.join('\n');
}
