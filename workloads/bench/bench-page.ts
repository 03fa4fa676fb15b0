import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchmarkActionFiles } from '../../reports/benchmark-action-json.js';
import { escapeHtml } from '../../reports/html.js';
import type { BenchPageLink } from '../../reports/render-bench-index.js';
import type { Environment } from '../../reports/results-schema.js';
import { renderPage } from '../../reports/views/page.js';

/** A table for a bench page: header, rows of cells already formatted as text. */
export interface PageTable {
  heading: string;
  caption?: string;
  columns: string[];
  rows: string[][];
  /** Columns of words rather than numbers: left-aligned and wrapped (the first always is). */
  textColumns?: number[];
}

/**
 * A suite whose figures are not load runs (micro-benchmarks, checker scaling): written as
 * `<name>/figures.json` + `<name>/report.html` and listed in the bench index. Not a
 * results.json: `kzbench report` reads load runs only.
 */
export interface BenchPage {
  suite: string;
  name: string;
  title: string;
  /** One line for the index. */
  summary: string;
  /** What the suite measured and how to read it. */
  intro: string;
  notes: string[];
  tables: PageTable[];
  /** Inline SVG charts. */
  charts: string[];
  /** The raw figures, written to figures.json. */
  figures: unknown;
  settings: Record<string, unknown>;
  benchmarkAction: BenchmarkActionFiles;
}

export const figuresFileName = 'figures.json';

function tableHtml(t: PageTable): string {
  const text = new Set([0, ...(t.textColumns ?? [])]);
  const cls = (i: number) => (text.has(i) ? ' class="text" style="white-space:normal"' : '');
  const head = `<tr>${t.columns.map((c, i) => `<th${cls(i)}>${escapeHtml(c)}</th>`).join('')}</tr>`;
  const body = t.rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  return `<h3>${escapeHtml(t.heading)}</h3>${t.caption ? `<p class="caveat">${escapeHtml(t.caption)}</p>` : ''}<div class="table-wrap"><table>${head}\n${body}</table></div>`;
}

export function renderBenchPage(page: BenchPage, environment: Environment, createdAt: string): string {
  const env: Array<[string, string]> = [
    ['CPU', `${environment.cpu.count} × ${environment.cpu.model}`],
    ['Node.js', environment.node],
    ['OS', `${environment.os.type ?? environment.os.platform} ${environment.os.release} (${environment.os.arch})`],
    ...(environment.loadAverage ? [['load average at start (1, 5, 15 min)', environment.loadAverage.map((l) => l.toFixed(2)).join(', ')] as [string, string]] : []),
    ['kzbench', environment.kzbench ?? 'unknown'],
    ['created', createdAt],
    ...Object.entries(page.settings).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)] as [string, string]),
  ];
  const body = `<header><h1>${escapeHtml(page.title)}</h1><div class="meta"><span>${escapeHtml(createdAt)}</span></div></header>
<p>${escapeHtml(page.intro)}</p>
${page.notes.length > 0 ? `<div class="notes"><strong>Notes</strong><ul>${page.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul></div>` : ''}
<section id="results"><h2>Results</h2>${page.tables.map(tableHtml).join('\n')}</section>
${page.charts.length > 0 ? `<section id="charts"><h2>Charts</h2><div class="op-charts">${page.charts.join('\n')}</div></section>` : ''}
<section id="configuration"><h2>Settings and environment</h2><div class="table-wrap"><table>${env
    .map(([k, v]) => `<tr><td class="text">${escapeHtml(k)}</td><td class="text mono">${escapeHtml(v)}</td></tr>`)
    .join('')}</table></div></section>`;
  return renderPage(page.title, body, []);
}

/** Writes the page and its figures; returns the index entry. */
export async function writeBenchPage(outDir: string, page: BenchPage, environment: Environment): Promise<BenchPageLink & { reportPath: string; figuresPath: string }> {
  const dir = join(outDir, page.name);
  await mkdir(dir, { recursive: true });
  const createdAt = new Date().toISOString();
  const reportPath = join(dir, 'report.html');
  const figuresPath = join(dir, figuresFileName);
  await writeFile(
    figuresPath,
    JSON.stringify({ format: 'kzbench.bench-figures', version: 1, suite: page.suite, title: page.title, createdAt, environment, settings: page.settings, notes: page.notes, figures: page.figures }, null, 2) + '\n',
  );
  await writeFile(reportPath, renderBenchPage(page, environment, createdAt));
  return { name: page.name, href: `${page.name}/report.html`, summary: page.summary, reportPath, figuresPath };
}
