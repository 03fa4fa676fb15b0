import { multiResultsModel, singleResultsModel, type ReportModel, type ReportSource } from './report-model.js';
import { renderChartsSection } from './views/charts-section.js';
import { renderComparisonTable } from './views/comparison-table.js';
import { renderConfigSection } from './views/config-section.js';
import { renderHeader } from './views/header.js';
import { renderHistogramsSection } from './views/histograms-section.js';
import { renderHistorySection } from './views/history-section.js';
import { renderNotes } from './views/notes.js';
import { renderPage } from './views/page.js';
import { renderReadingGuide } from './views/reading-guide.js';
import { renderRunsTable } from './views/runs-table.js';
import { renderVerdicts } from './views/verdicts.js';

/**
 * The report page: verdicts first (correctness outranks speed), then the numbers, the
 * comparison, the charts, the raw histograms, configuration and environment, and the history.
 */
export function renderModel(model: ReportModel): string {
  const charts = renderChartsSection(model);
  const sections: Array<{ id: string; title: string; html: string }> = [
    { id: 'verdicts', title: 'Verdicts', html: renderVerdicts(model.checks, model.sources.length > 1) },
    { id: 'results', title: 'Results', html: renderRunsTable(model.runs) },
    { id: 'comparison', title: 'Comparison', html: renderComparisonTable(model) },
    { id: 'charts', title: 'Charts', html: charts.html },
    { id: 'histograms', title: 'HdrHistograms', html: renderHistogramsSection(model.runs) },
    { id: 'configuration', title: 'Configuration', html: renderConfigSection(model.sources) },
    { id: 'history', title: 'History', html: renderHistorySection(model.sources) },
  ].filter((s) => s.html !== '');
  const body = [renderHeader(model, sections), renderNotes(model.notes), ...sections.map((s) => s.html), renderReadingGuide()].join('\n');
  return renderPage(model.title, body, charts.specs);
}

/** The report of one results file. */
export function renderResultsReport(source: ReportSource): string {
  return renderModel(singleResultsModel(source));
}

/** One page comparing several results files side by side (ratios against the first). */
export function renderComparisonReport(sources: ReportSource[], title?: string): string {
  return renderModel(multiResultsModel(sources, title));
}
