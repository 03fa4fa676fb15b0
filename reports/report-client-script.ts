import { formatLatency, formatNines, formatRate } from './number-format.js';

/**
 * The report's browser script: it draws the chart specs from the `kz-charts` JSON block with
 * uPlot and wires the copy buttons. Data shaping happens in TypeScript at render time; this
 * only draws. The number formatters are the same functions the tables use, inlined by source.
 */
const drawCharts = String.raw`
var specsEl = document.getElementById('kz-charts');
var specs = specsEl ? JSON.parse(specsEl.textContent) : [];
var charts = [];
var dpr = window.devicePixelRatio || 1;
var LOG2 = Math.log10(2);

function fmtY(spec, v) { return v == null ? '—' : spec.yFormat === 'latency' ? formatLatency(v) : formatRate(v); }
// Axis ticks drop the trailing zeros the legend keeps: "1 ms", "2.5 ms".
function fmtTick(spec, v) { return fmtY(spec, v).replace(/\.0+(?=\D)/, '').replace(/(\.\d*?[1-9])0+(?=\D)/, '$1'); }

// Log axes: one tick per decade, plus 2× and 5× when only a few decades are shown.
function logSplits(u, axisIdx, min, max) {
  var out = [];
  var lo = Math.floor(Math.log10(min)), hi = Math.ceil(Math.log10(max));
  var steps = hi - lo <= 2 ? [1, 2, 5] : [1];
  for (var e = lo; e <= hi; e++) {
    steps.forEach(function (m) {
      var v = m * Math.pow(10, e);
      if (v >= min * 0.999 && v <= max * 1.001) out.push(v);
    });
  }
  return out;
}

function ninesSplits(u, axisIdx, min, max) {
  var out = [];
  for (var i = Math.ceil(min); i <= Math.floor(max + 1e-9); i++) out.push(i);
  if (min <= LOG2 && max >= LOG2) out.splice(1, 0, LOG2);
  return out;
}

function bandsHook(bands) {
  return function (u) {
    if (!bands.length) return;
    var ctx = u.ctx;
    ctx.save();
    ctx.font = (11 * dpr) + 'px system-ui, sans-serif';
    ctx.textBaseline = 'top';
    bands.forEach(function (b) {
      var left = Math.max(u.valToPos(b.start, 'x', true), u.bbox.left);
      var right = Math.min(u.valToPos(b.end, 'x', true), u.bbox.left + u.bbox.width);
      if (!(right > left)) return;
      ctx.fillStyle = 'rgba(207, 34, 46, 0.10)';
      ctx.fillRect(left, u.bbox.top, right - left, u.bbox.height);
      ctx.fillStyle = 'rgba(207, 34, 46, 0.55)';
      ctx.fillRect(left, u.bbox.top, Math.max(dpr, 1), u.bbox.height);
      ctx.fillStyle = 'rgba(150, 20, 30, 0.9)';
      ctx.fillText(b.label, left + 4 * dpr, u.bbox.top + 3 * dpr);
    });
    ctx.restore();
  };
}

function hasData(spec) {
  return spec.series.some(function (s) {
    return s.values.some(function (v) { return v != null && (!spec.yLog || v > 0); });
  });
}

function chartWidth(el) { return Math.max(280, Math.floor(el.clientWidth)); }

function draw(spec) {
  var el = document.getElementById(spec.id);
  if (!el) return;
  if (!hasData(spec)) { el.innerHTML = '<div class="empty">no data</div>'; return; }
  var spectrum = spec.kind === 'spectrum';
  var steps = spec.stepped ? uPlot.paths.stepped({ align: 1 }) : undefined;
  var opts = {
    width: chartWidth(el),
    height: 260,
    scales: {
      x: spectrum ? { time: false, range: function (u, min, max) { return [0, max]; } } : { time: false },
      y: spec.yLog ? { distr: 3, log: 10 } : { range: function (u, min, max) { return [0, max > 0 ? max * 1.08 : 1]; } },
    },
    axes: [
      spectrum
        ? { label: spec.xLabel, splits: ninesSplits, values: function (u, vals) { return vals.map(formatNines); } }
        : { label: spec.xLabel },
      {
        label: spec.yLabel, size: 70,
        splits: spec.yLog ? logSplits : undefined,
        values: function (u, vals) { return vals.map(function (v) { return fmtTick(spec, v); }); },
      },
    ],
    series: [
      { label: spectrum ? 'percentile' : 't (s)', value: function (u, v) { return v == null ? '—' : spectrum ? formatNines(v) : v.toFixed(0) + ' s'; } },
    ].concat(spec.series.map(function (s) {
      return {
        label: s.label, stroke: s.color, width: s.width || 2, dash: s.dash, spanGaps: false, paths: steps,
        points: { show: false },
        value: function (u, v) { return fmtY(spec, v); },
      };
    })),
    cursor: { sync: { key: spec.syncKey } },
    legend: { live: true },
    hooks: { drawClear: [bandsHook(spec.bands)] },
  };
  var data = [spec.x].concat(spec.series.map(function (s) { return s.values; }));
  charts.push({ el: el, plot: new uPlot(opts, data, el) });
}

// One broken chart must not take the others down: say so in its place and in the console.
specs.forEach(function (spec) {
  try { draw(spec); } catch (e) {
    var el = document.getElementById(spec.id);
    if (el) { el.innerHTML = '<div class="empty"></div>'; el.firstChild.textContent = 'chart failed: ' + String(e && e.message || e); }
    console.error('kzbench: chart ' + spec.id + ' failed', e);
  }
});

var resizeTimer = null;
window.addEventListener('resize', function () {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(function () {
    charts.forEach(function (c) { c.plot.setSize({ width: chartWidth(c.el), height: 260 }); });
  }, 100);
});

document.querySelectorAll('button[data-copy]').forEach(function (btn) {
  btn.addEventListener('click', function () {
    var ta = document.getElementById(btn.getAttribute('data-copy'));
    if (!ta) return;
    var done = function () { btn.textContent = 'Copied'; setTimeout(function () { btn.textContent = 'Copy'; }, 1500); };
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(ta.value).then(done, function () { ta.select(); });
    else { ta.select(); document.execCommand('copy'); done(); }
  });
});
`;

export function reportClientScript(): string {
  return `(function () {
'use strict';
${formatLatency.toString()}
${formatRate.toString()}
${formatNines.toString()}
${drawCharts}
})();`;
}
