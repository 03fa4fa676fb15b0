import type { ChartSpec } from './chart-specs.js';
import { escapeHtml } from './html.js';
import { formatRatio } from './number-format.js';
import { singleResultsModel, type HistoryLink, type ReportModel } from './report-model.js';
import type { Results } from './results-schema.js';
import { renderChartsSection } from './views/charts-section.js';
import { comparisonVerdict, renderComparisonTable } from './views/comparison-table.js';
import { renderConfigSection } from './views/config-section.js';
import { loadDescription } from './views/header.js';
import { renderNotes } from './views/notes.js';
import { renderPage } from './views/page.js';
import { renderReadingGuide } from './views/reading-guide.js';
import { renderRunsTable } from './views/runs-table.js';
import { renderVerdicts } from './views/verdicts.js';

/** One `kzbench bench` suite: its results and, usually, a link to its full report. */
export interface BenchSuite {
  name: string;
  results: Results;
  reportHref?: string;
  history?: HistoryLink;
}

/**
 * A bench page that is not a results.json run (micro-benchmarks, checker scaling): listed in
 * the summary with a link to its own page.
 */
export interface BenchPageLink {
  name: string;
  href: string;
  /** One line for the summary's headline column (plain text). */
  summary: string;
}

const slug = (name: string): string => name.replace(/[^A-Za-z0-9_-]/g, '_');

/** Headline per suite: throughput ratios between implementations, one line per op. */
function headline(model: ReportModel): string {
  const lines = model.comparisons
    .filter((c) => c.metric === 'okPerSecond' || (c.metric === 'p99' && c.latency !== 'service'))
    .map((c) => `${escapeHtml(c.op)} ${c.metric === 'okPerSecond' ? 'throughput' : 'p99'}: ${escapeHtml(comparisonVerdict(c, model.labelOf))} <span class="caveat">(${formatRatio(c.ratio)})</span>`);
  return lines.length > 0 ? lines.join('<br>') : '<span class="caveat">single implementation: no ratios</span>';
}

function verdictSummary(results: Results): string {
  if (results.checks.length === 0) return '—';
  const bad = results.checks.filter((c) => c.valid === false).length;
  const unknown = results.checks.filter((c) => c.valid === 'unknown').length;
  if (bad > 0) return `<span class="warn-cell">${bad} invalid</span>`;
  if (unknown > 0) return `${unknown} unknown`;
  return '<span class="win">all valid</span>';
}

/**
 * The `kzbench bench` index: one table summarising every suite, then each suite with its
 * runs, comparison and charts, and the configuration each suite ran with.
 */
export function renderBenchIndex(suites: readonly BenchSuite[], title = 'kzbench bench', pages: readonly BenchPageLink[] = []): string {
  const models = suites.map((s) => ({ suite: s, model: singleResultsModel({ label: s.name, results: s.results, history: s.history }) }));
  const specs: ChartSpec[] = [];
  const summaryRows = models.map(({ suite, model }) => {
    const link = suite.reportHref ? ` <a href="${escapeHtml(suite.reportHref)}">full report</a>` : '';
    return `<tr><td class="text"><a href="#suite-${slug(suite.name)}"><strong>${escapeHtml(suite.name)}</strong></a>${link}</td>
<td class="text">${escapeHtml(suite.results.config.workload)}</td><td class="text">${escapeHtml(loadDescription(suite.results.config))}</td>
<td>${suite.results.runs.length}</td><td class="text">${verdictSummary(suite.results)}</td><td class="text" style="white-space:normal">${headline(model)}</td></tr>`;
  });
  for (const page of pages) {
    summaryRows.push(`<tr><td class="text"><strong>${escapeHtml(page.name)}</strong> <a href="${escapeHtml(page.href)}">full report</a></td>
<td class="text">—</td><td class="text">—</td><td>—</td><td class="text">—</td><td class="text" style="white-space:normal">${escapeHtml(page.summary)}</td></tr>`);
  }
  const sections = models.map(({ suite, model }, i) => {
    const prefix = `s${i}-`;
    const charts = renderChartsSection(model, prefix, { level: 3, id: `${prefix}charts` });
    specs.push(...charts.specs);
    const link = suite.reportHref ? ` <a href="${escapeHtml(suite.reportHref)}" style="font-size:13px;font-weight:normal">full report →</a>` : '';
    return `<section class="suite" id="suite-${slug(suite.name)}"><h2>${escapeHtml(suite.name)}${link}</h2>
<p class="caveat">${escapeHtml(suite.results.title)} · ${escapeHtml(loadDescription(suite.results.config))}</p>
${renderNotes(model.notes)}
${renderVerdicts(model.checks, false, { id: `${prefix}verdicts`, level: 3 })}
${renderRunsTable(model.runs, { id: `${prefix}results`, level: 3 })}
${renderComparisonTable(model, { id: `${prefix}comparison`, level: 3 })}
${charts.html}
</section>`;
  });
  const created = suites[0] ? new Date(suites[0].results.createdAt).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : '';
  const env = suites[0]?.results.environment;
  const body = `<header><h1>${escapeHtml(title)}</h1>
<div class="meta"><span>${suites.length + pages.length} suites</span>${env ? `<span>${escapeHtml(`${env.cpu.count} × ${env.cpu.model}`)}</span><span>Node ${escapeHtml(env.node)}</span>` : ''}<span>${escapeHtml(created)}</span></div>
<nav class="toc">${suites.map((s) => `<a href="#suite-${slug(s.name)}">${escapeHtml(s.name)}</a>`).join('')}${pages.map((p) => `<a href="${escapeHtml(p.href)}">${escapeHtml(p.name)}</a>`).join('')}<a href="#configuration">Configuration</a></nav></header>
<section id="summary"><h2>Summary</h2><div class="table-wrap"><table>
<tr><th class="text">suite</th><th class="text">workload</th><th class="text">load</th><th>runs</th><th class="text">checks</th><th class="text">headline</th></tr>
${summaryRows.join('\n')}
</table></div></section>
${sections.join('\n')}
${renderConfigSection(models.map(({ suite }) => ({ label: suite.name, results: suite.results })))}
${renderReadingGuide()}`;
  return renderPage(title, body, specs);
}
