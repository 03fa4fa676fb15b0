import { escapeHtml } from '../html.js';
import { formatBytes, formatCount } from '../number-format.js';
import type { ReportSource } from '../report-model.js';

/** Links to each source's history.jsonl: beside the report, or embedded as a download when small. */
export function renderHistorySection(sources: readonly ReportSource[]): string {
  const items = sources
    .map((s) => {
      const ref = s.results.history;
      if (!ref) return '';
      const size = ref.bytes !== undefined ? `, ${formatBytes(ref.bytes)}` : '';
      const what = `${formatCount(ref.ops)} ops${size}`;
      const prefix = sources.length > 1 ? `${escapeHtml(s.label)}: ` : '';
      if (s.history?.embedded !== undefined) {
        const href = `data:application/x-ndjson;base64,${Buffer.from(s.history.embedded, 'utf8').toString('base64')}`;
        return `<li>${prefix}<a download="${escapeHtml(ref.file)}" href="${href}">Download ${escapeHtml(ref.file)}</a> (${what}, embedded in this page)</li>`;
      }
      if (s.history?.href) return `<li>${prefix}<a href="${escapeHtml(s.history.href)}">${escapeHtml(ref.file)}</a> (${what}, next to this report)</li>`;
      return `<li>${prefix}<code>${escapeHtml(ref.file)}</code> (${what}) in the results directory</li>`;
    })
    .filter(Boolean);
  if (items.length === 0) return '';
  return `<section id="history"><h2>History</h2><ul>${items.join('')}</ul>
<p class="caveat">One Jepsen-style op per line (invoke / ok / fail / info, time in ns since the run started). Re-check it with <code>kzbench check history.jsonl --model …</code>.</p></section>`;
}
