import { escapeHtml } from '../html.js';
import { formatBytes } from '../number-format.js';
import type { ReportSource } from '../report-model.js';
import type { Results } from '../results-schema.js';
import { loadDescription } from './header.js';

type Row = [string, unknown];

function display(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function configRows(r: Results): Row[] {
  const c = r.config;
  const rows: Row[] = [
    ['workload', c.workload],
    ['load', loadDescription(c)],
    ['rate (ops/s)', c.rate],
    ['arrivals', c.arrival],
    ['seed', c.seed],
    ['warm-up (s)', c.warmupSeconds],
    ['measured (s)', c.durationSeconds],
    ['clients', c.clients],
    ['connections', c.connections],
    ['in flight', c.inFlight],
  ];
  for (const [k, v] of Object.entries(c.settings)) rows.push([k, v]);
  if (c.target) rows.push(['target', Object.entries(c.target).map(([k, v]) => `${k}=${v}`).join(' ')]);
  if (c.nemesis) rows.push(['nemesis', c.nemesis.join(', ') || 'none']);
  if (c.injectBug) rows.push(['injected bug', c.injectBug]);
  for (const [k, v] of Object.entries(c.extra ?? {})) rows.push([k, v]);
  return rows;
}

function environmentRows(r: Results): Row[] {
  const e = r.environment;
  const rows: Row[] = [
    ['CPU', `${e.cpu.count} × ${e.cpu.model}${e.cpu.speedMHz ? ` @ ${e.cpu.speedMHz} MHz` : ''}`],
    ['memory', formatBytes(e.memoryBytes)],
    ['OS', `${e.os.type ?? e.os.platform} ${e.os.release} (${e.os.arch})`],
    ['Node.js', e.node],
    ['Java', e.java ?? 'not used'],
  ];
  if (e.kzbench) rows.push(['kzbench', e.kzbench]);
  if (e.hostname) rows.push(['host', e.hostname]);
  if (e.loadAverage) rows.push(['load average at start (1, 5, 15 min)', e.loadAverage.map((l) => l.toFixed(2)).join(', ')]);
  for (const impl of e.implementations) rows.push([`implementation ${impl.name}`, `${impl.version}${impl.system ? ` (${impl.system})` : ''}`]);
  rows.push(['results created', r.createdAt]);
  return rows;
}

function table(title: string, rows: Row[]): string {
  return `<div><h3>${escapeHtml(title)}</h3><div class="table-wrap"><table>${rows
    .map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td class="mono">${escapeHtml(display(v))}</td></tr>`)
    .join('')}</table></div></div>`;
}

/** Several sources: one table per kind, a column per source, rows that differ marked. */
function sideBySide(title: string, sources: readonly ReportSource[], rowsOf: (r: Results) => Row[]): string {
  const perSource = sources.map((s) => new Map(rowsOf(s.results).map(([k, v]) => [k, display(v)])));
  const keys = [...new Set(perSource.flatMap((m) => [...m.keys()]))];
  const header = `<tr><th class="text"></th>${sources.map((s) => `<th class="text">${escapeHtml(s.label)}</th>`).join('')}</tr>`;
  const rows = keys.map((k) => {
    const values = perSource.map((m) => m.get(k) ?? '—');
    const differs = new Set(values).size > 1 && k !== 'results created';
    return `<tr${differs ? ' class="differs"' : ''}><td>${escapeHtml(k)}</td>${values.map((v) => `<td class="mono">${escapeHtml(v)}</td>`).join('')}</tr>`;
  });
  return `<div><h3>${escapeHtml(title)}</h3><div class="table-wrap"><table>${header}${rows.join('')}</table></div></div>`;
}

/** The resolved configuration and the environment; several sources side by side, differences marked. */
export function renderConfigSection(sources: readonly ReportSource[]): string {
  if (sources.length === 1) {
    const r = sources[0]!.results;
    return `<section id="configuration"><h2>Configuration and environment</h2><div class="kv">${table('Configuration', configRows(r))}${table('Environment', environmentRows(r))}</div></section>`;
  }
  return `<section id="configuration"><h2>Configuration and environment</h2>
<p class="caveat">Rows that differ between results files are highlighted.</p>
<div class="side-by-side">${sideBySide('Configuration', sources, configRows)}${sideBySide('Environment', sources, environmentRows)}</div></section>`;
}
