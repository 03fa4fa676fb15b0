import { escapeHtml } from '../html.js';
import { formatRate } from '../number-format.js';
import type { ReportModel } from '../report-model.js';
import type { RunConfig } from '../results-schema.js';

/** `open loop · 2000 ops/s uniform` or `closed loop · 16 workers`. */
export function loadDescription(config: RunConfig): string {
  return config.mode === 'open'
    ? `open loop · ${formatRate(config.rate ?? 0)} ${config.arrival ?? 'uniform'} · ≤${config.inFlight} in flight`
    : `closed loop · ${config.inFlight} workers flat out`;
}

export function renderHeader(model: ReportModel, sections: Array<{ id: string; title: string }>): string {
  const meta: string[] = [];
  if (model.sources.length === 1) {
    const { config, createdAt, environment } = model.sources[0]!.results;
    meta.push(`<span class="badge">${escapeHtml(config.workload)}</span>`);
    meta.push(`<span class="badge ${config.mode}">${escapeHtml(loadDescription(config))}</span>`);
    meta.push(`<span>${escapeHtml(`${config.warmupSeconds} s warm-up + ${config.durationSeconds} s measured`)}</span>`);
    meta.push(`<span>${escapeHtml(`${environment.cpu.count} × ${environment.cpu.model}`)}</span>`);
    meta.push(`<span>${escapeHtml(new Date(createdAt).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))}</span>`);
  } else {
    meta.push(`<span>${model.sources.length} results files, each measured separately</span>`);
  }
  const toc = sections.map((s) => `<a href="#${s.id}">${escapeHtml(s.title)}</a>`).join('');
  return `<header>
<h1>${escapeHtml(model.title)}</h1>
<div class="meta">${meta.join('')}</div>
<nav class="toc">${toc}</nav>
</header>`;
}
