import { escapeHtml } from '../../reports/html.js';
import { colorFor } from '../../reports/chart-specs.js';

export interface SvgSeries {
  label: string;
  points: Array<{ x: number; y: number }>;
}

export interface SvgLineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: SvgSeries[];
  /** Log10 axes (decades) instead of linear ones. */
  logX?: boolean;
  logY?: boolean;
  formatX?: (v: number) => string;
  formatY?: (v: number) => string;
}

const width = 640;
const height = 320;
const margin = { left: 72, right: 36, top: 28, bottom: 48 };

/**
 * A static line chart as inline SVG: no script, so it renders wherever the page is opened
 * (and in the index's iframe-free links). Used for scaling plots (time against history
 * length or concurrency) where uPlot's time and percentile axes do not fit. Log axes put a
 * tick on every decade.
 */
export function svgLineChart(opts: SvgLineChartOptions): string {
  const series = opts.series.filter((s) => s.points.some((p) => valid(p.x, opts.logX) && valid(p.y, opts.logY)));
  if (series.length === 0) return `<div class="empty">no data for ${escapeHtml(opts.title)}</div>`;
  const xs = series.flatMap((s) => s.points.map((p) => p.x)).filter((v) => valid(v, opts.logX));
  const ys = series.flatMap((s) => s.points.map((p) => p.y)).filter((v) => valid(v, opts.logY));
  const xScale = scale(xs, opts.logX ?? false, margin.left, width - margin.right);
  const yScale = scale(ys, opts.logY ?? false, height - margin.bottom, margin.top);
  const fx = opts.formatX ?? String;
  const fy = opts.formatY ?? String;
  const grid = [
    ...xScale.ticks.map((t) => `<line x1="${xScale.map(t)}" x2="${xScale.map(t)}" y1="${margin.top}" y2="${height - margin.bottom}" stroke="#e5e5e5"/><text x="${xScale.map(t)}" y="${height - margin.bottom + 16}" text-anchor="middle">${escapeHtml(fx(t))}</text>`),
    ...yScale.ticks.map((t) => `<line x1="${margin.left}" x2="${width - margin.right}" y1="${yScale.map(t)}" y2="${yScale.map(t)}" stroke="#e5e5e5"/><text x="${margin.left - 6}" y="${yScale.map(t) + 4}" text-anchor="end">${escapeHtml(fy(t))}</text>`),
  ].join('');
  const lines = series
    .map((s, i) => {
      const pts = s.points.filter((p) => valid(p.x, opts.logX) && valid(p.y, opts.logY)).sort((a, b) => a.x - b.x);
      const color = colorFor(i);
      const path = pts.map((p, j) => `${j === 0 ? 'M' : 'L'}${xScale.map(p.x).toFixed(1)},${yScale.map(p.y).toFixed(1)}`).join(' ');
      const dots = pts.map((p) => `<circle cx="${xScale.map(p.x).toFixed(1)}" cy="${yScale.map(p.y).toFixed(1)}" r="3" fill="${color}"><title>${escapeHtml(`${s.label}: ${fx(p.x)} → ${fy(p.y)}`)}</title></circle>`).join('');
      return `<path d="${path}" fill="none" stroke="${color}" stroke-width="2"/>${dots}`;
    })
    .join('');
  const legend = series.map((s, i) => `<span style="color:${colorFor(i)};margin-right:14px">● ${escapeHtml(s.label)}</span>`).join('');
  return `<figure class="chart-box"><div class="title">${escapeHtml(opts.title)}</div>
<svg viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px;font:11px sans-serif" role="img" aria-label="${escapeHtml(opts.title)}">
${grid}
<line x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${height - margin.bottom}" stroke="#888"/><line x1="${margin.left}" x2="${width - margin.right}" y1="${height - margin.bottom}" y2="${height - margin.bottom}" stroke="#888"/>
<text x="${(margin.left + width - margin.right) / 2}" y="${height - 10}" text-anchor="middle">${escapeHtml(opts.xLabel)}</text>
<text transform="translate(14 ${(margin.top + height - margin.bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(opts.yLabel)}</text>
${lines}
</svg><figcaption style="font-size:12px">${legend}</figcaption></figure>`;
}

function valid(v: number, log: boolean | undefined): boolean {
  return Number.isFinite(v) && (!log || v > 0);
}

interface Scale {
  map(v: number): number;
  ticks: number[];
}

function scale(values: number[], log: boolean, from: number, to: number): Scale {
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (log) {
    const a = Math.floor(Math.log10(lo));
    const b = Math.max(a + 1, Math.ceil(Math.log10(hi)));
    const ticks = Array.from({ length: b - a + 1 }, (_, i) => 10 ** (a + i));
    return { map: (v) => from + ((Math.log10(v) - a) / (b - a)) * (to - from), ticks };
  }
  if (lo === hi) {
    lo = lo === 0 ? 0 : lo * 0.9;
    hi = hi === 0 ? 1 : hi * 1.1;
  }
  lo = Math.min(0, lo);
  const step = niceStep((hi - lo) / 5);
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return { map: (v) => from + ((v - lo) / (hi - lo)) * (to - from), ticks };
}

function niceStep(raw: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const n = raw / magnitude;
  return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * magnitude;
}
