import { escapeHtml } from '../html.js';
import type { ReportRun } from '../report-model.js';

/**
 * Every run's histograms as base64 HdrHistograms (values in µs), copyable into the
 * HdrHistogram plotter or log analyzer, or decodable with any HdrHistogram library.
 */
export function renderHistogramsSection(runs: readonly ReportRun[]): string {
  if (runs.length === 0) return '';
  let n = 0;
  const items = runs.map((r) => {
    const kinds = [
      ['intended-start latency', r.run.latency.intended],
      ['service time', r.run.latency.service],
      ['start delay', r.run.latency.startDelay ?? null],
    ] as const;
    const rows = kinds
      .filter(([, stats]) => stats)
      .map(([name, stats]) => {
        const id = `hdr-${n++}`;
        return `<div>${escapeHtml(name)} · ${stats!.count.toLocaleString('en-US')} values</div><div></div>
<textarea readonly id="${id}">${escapeHtml(stats!.histogram)}</textarea><button type="button" data-copy="${id}">Copy</button>`;
      })
      .join('');
    return `<details><summary><span class="swatch" style="background:${r.color}"></span>${escapeHtml(r.label)} · ${escapeHtml(r.run.op)}</summary><div class="hdr">${rows}</div></details>`;
  });
  return `<section id="histograms"><h2>HdrHistograms</h2>
<p class="caveat">Compressed base64 HdrHistograms (V2 "HISTF…" encoding), values in microseconds. Paste into the HdrHistogram plotter, or decode with <code>decodeFromCompressedBase64</code> (hdr-histogram-js) or <code>Histogram.decodeFromCompressedByteBuffer</code> (Java) to merge or re-plot.</p>
${items.join('\n')}</section>`;
}
