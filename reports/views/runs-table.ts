import { escapeHtml } from '../html.js';
import { formatCount, formatLatency, formatRate } from '../number-format.js';
import type { ReportRun } from '../report-model.js';
import { sectionOpen, type SectionOptions } from './section.js';

function countCell(n: number, bad: boolean): string {
  return `<td class="${n === 0 ? 'zero' : bad ? 'warn-cell' : ''}">${formatCount(n)}</td>`;
}

/**
 * One row per run: throughput, outcome counts, and the latency quantiles users saw (intended
 * start; service time in closed loop), then service time for contrast.
 */
export function renderRunsTable(runs: readonly ReportRun[], section: SectionOptions = {}): string {
  const open = sectionOpen(section, 'results', 'Results');
  if (runs.length === 0) return `${open}<p>No measurements in this file.</p></section>`;
  const ops = [...new Set(runs.map((r) => r.run.op))];
  const rows: string[] = [];
  for (const op of ops) {
    rows.push(`<tr class="group"><td colspan="15">${escapeHtml(op)}</td></tr>`);
    for (const r of runs.filter((x) => x.run.op === op)) {
      const { run } = r;
      const primary = run.latency.intended ?? run.latency.service;
      const closed = run.latency.intended === null;
      rows.push(`<tr>
<td class="text"><span class="swatch" style="background:${r.color}"></span>${escapeHtml(r.label)}</td>
<td class="primary">${formatRate(run.throughput.okPerSecond)}</td>
${countCell(run.counts.ok, false)}${countCell(run.counts.fail, true)}${countCell(run.counts.info, true)}${countCell(run.counts.dropped, true)}
<td class="primary">${formatLatency(primary.p50)}</td><td>${formatLatency(primary.p90)}</td><td class="primary">${formatLatency(primary.p99)}</td>
<td>${formatLatency(primary.p99_9)}</td><td>${formatLatency(primary.p99_99)}</td><td>${formatLatency(primary.max)}</td>
<td>${closed ? '<span class="zero">= latency</span>' : formatLatency(run.latency.service.p50)}</td><td>${closed ? '' : formatLatency(run.latency.service.p99)}</td>
<td>${closed ? '<span class="badge closed">closed</span>' : '<span class="badge open">open</span>'}</td>
</tr>`);
    }
  }
  return `${open}
<div class="table-wrap"><table>
<tr><th class="text">run</th><th>ok/s</th><th>ok</th><th>fail</th><th>info</th><th>dropped</th>
<th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>p99.99</th><th>max</th><th>service p50</th><th>service p99</th><th>loop</th></tr>
${rows.join('\n')}
</table></div>
<p class="caveat">Latency columns are measured from each op's <em>intended</em> start (what a user waits, queueing for the schedule included); closed-loop rows show service time.
Service time runs from the actual send. <em>fail</em> = definitely not done, <em>info</em> = outcome unknown (timeouts), <em>dropped</em> = never started because the in-flight bound was reached.</p>
</section>`;
}
