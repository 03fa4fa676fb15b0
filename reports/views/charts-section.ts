import { chartsForOp, type ChartSpec } from '../chart-specs.js';
import { escapeHtml } from '../html.js';
import type { ReportModel } from '../report-model.js';
import { sectionOpen, type SectionOptions } from './section.js';

/** Chart placeholders per operation, and the specs the browser script draws into them. */
export function renderChartsSection(model: ReportModel, idPrefix = '', section: SectionOptions = {}): { html: string; specs: ChartSpec[] } {
  const ops = [...new Set(model.runs.map((r) => r.run.op))];
  if (ops.length === 0) return { html: '', specs: [] };
  const opLevel = (section.level ?? 2) + 1;
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
    blocks.push(`${ops.length > 1 ? `<h${opLevel}>${escapeHtml(op)}</h${opLevel}>` : ''}<div class="op-charts">${opSpecs
      .map(
        (s) => `<div class="chart-box"><div class="title">${escapeHtml(s.title)}</div><div class="caption">${escapeHtml(s.caption)}</div><div class="chart" id="${escapeHtml(s.id)}"></div></div>`,
      )
      .join('')}</div>`);
  }
  return { html: `${sectionOpen(section, `${idPrefix}charts`, 'Charts')}${blocks.join('\n')}</section>`, specs };
}
