import { chartsForOp, type ChartSpec } from '../chart-specs.js';
import { escapeHtml } from '../html.js';
import type { ReportModel } from '../report-model.js';

/** Chart placeholders per operation, and the specs the browser script draws into them. */
export function renderChartsSection(model: ReportModel, idPrefix = ''): { html: string; specs: ChartSpec[] } {
  const ops = [...new Set(model.runs.map((r) => r.run.op))];
  if (ops.length === 0) return { html: '', specs: [] };
  const specs: ChartSpec[] = [];
  const blocks: string[] = [];
  for (const op of ops) {
    const opSpecs = chartsForOp(
      op,
      model.runs.filter((r) => r.run.op === op),
      model.nemesis,
      idPrefix,
    );
    specs.push(...opSpecs);
    blocks.push(`${ops.length > 1 ? `<h3>${escapeHtml(op)}</h3>` : ''}<div class="op-charts">${opSpecs
      .map(
        (s) => `<div class="chart-box"><div class="title">${escapeHtml(s.title)}</div><div class="caption">${escapeHtml(s.caption)}</div><div class="chart" id="${escapeHtml(s.id)}"></div></div>`,
      )
      .join('')}</div>`);
  }
  return { html: `<section id="${idPrefix}charts"><h2>Charts</h2>${blocks.join('\n')}</section>`, specs };
}
