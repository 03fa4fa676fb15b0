import { escapeHtml } from '../html.js';
import { formatLatency, formatRate, formatRatio } from '../number-format.js';
import type { ReportModel } from '../report-model.js';
import type { Comparison } from '../results-schema.js';
import { sectionOpen, type SectionOptions } from './section.js';

function metricName(c: Comparison): string {
  if (c.metric === 'okPerSecond') return 'throughput (ok/s)';
  const q = c.metric.replace('p99_99', 'p99.99').replace('p99_9', 'p99.9');
  return c.latency === 'service' ? `${q} service time` : `${q} latency`;
}

function formatValue(c: Comparison, v: number): string {
  return c.metric === 'okPerSecond' ? formatRate(v) : formatLatency(v);
}

/** Who wins and by how much, always as a factor ≥ 1: "reference: 1.84× the throughput". */
export function comparisonVerdict(c: Comparison, labelOf: (id: string) => string): string {
  if (c.better === 'equal') return 'about the same';
  const winner = labelOf(c.better === 'candidate' ? c.candidate : c.baseline);
  if (c.ratio === null || c.ratio === 0) return `${winner} better`;
  const factor = c.ratio >= 1 ? c.ratio : 1 / c.ratio;
  return c.biggerIsBetter ? `${winner}: ${formatRatio(factor)} the throughput` : `${winner}: ${formatRatio(factor)} lower`;
}

/** Ratios between runs, grouped by operation; the winning side of each row in green. */
export function renderComparisonTable(model: ReportModel, section: SectionOptions = {}): string {
  if (model.comparisons.length === 0) return '';
  const ops = [...new Set(model.comparisons.map((c) => c.op))];
  const rows: string[] = [];
  for (const op of ops) {
    rows.push(`<tr class="group"><td colspan="6">${escapeHtml(op)}</td></tr>`);
    for (const c of model.comparisons.filter((x) => x.op === op)) {
      const base = model.labelOf(c.baseline);
      const cand = model.labelOf(c.candidate);
      const cls = (side: 'baseline' | 'candidate') => (c.better === side ? 'win' : c.better === 'equal' ? '' : 'lose');
      rows.push(`<tr><td class="text">${escapeHtml(metricName(c))}</td>
<td class="${cls('baseline')}">${escapeHtml(base)}: ${formatValue(c, c.baselineValue)}</td>
<td class="${cls('candidate')}">${escapeHtml(cand)}: ${formatValue(c, c.candidateValue)}</td>
<td class="primary">${formatRatio(c.ratio)}</td>
<td class="text ${c.better === 'equal' ? '' : 'win'}">${escapeHtml(comparisonVerdict(c, model.labelOf))}</td></tr>`);
    }
  }
  const caveat = model.comparisonsAcrossFiles
    ? 'These results files were measured in separate runs: machine load and settings may differ (see Configuration). Ratios measured in one run are more trustworthy.'
    : 'Measured in the same run on the same machine. Ratio = candidate ÷ baseline; higher throughput and lower latency win. Within ±1% counts as the same; single runs vary more than that, so read small differences with care.';
  return `${sectionOpen(section, 'comparison', 'Comparison')}
<div class="table-wrap"><table>
<tr><th class="text">metric</th><th>baseline</th><th>candidate</th><th>ratio</th><th class="text">better</th></tr>
${rows.join('\n')}
</table></div>
<p class="caveat">${escapeHtml(caveat)}</p>
</section>`;
}
