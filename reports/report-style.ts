/** The report's own stylesheet (uPlot's is inlined beside it). Light, dense, print-friendly. */
export const reportStyle = `
:root {
  --fg: #1b1f24; --muted: #59636e; --line: #d8dee4; --bg: #ffffff; --panel: #f6f8fa;
  --ok: #1a7f37; --ok-bg: #dafbe1; --bad: #cf222e; --bad-bg: #ffebe9; --warn: #9a6700; --warn-bg: #fff8c5;
  --unknown: #6e7781; --unknown-bg: #eaeef2; --accent: #0969da;
}
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: var(--bg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1280px; margin: 0 auto; padding: 20px 24px 48px; }
h1 { font-size: 22px; margin: 0 0 6px; }
h2 { font-size: 17px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 18px 0 8px; }
h4 { font-size: 14px; margin: 14px 0 6px; }
a { color: var(--accent); }
code, .mono, textarea { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
.meta { color: var(--muted); display: flex; flex-wrap: wrap; gap: 6px 14px; align-items: center; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600;
  background: var(--unknown-bg); color: var(--fg); white-space: nowrap; }
.badge.open { background: #ddf4ff; color: #0550ae; }
.badge.closed { background: var(--warn-bg); color: var(--warn); }
.notes { margin: 14px 0 0; padding: 10px 14px; background: var(--warn-bg); border: 1px solid #d4a72c66;
  border-radius: 6px; }
.notes ul { margin: 4px 0 0; padding-left: 20px; }
.notes strong { color: var(--warn); }
.verdicts { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 12px; }
.anomalies { margin: 6px 0; padding-left: 20px; }
.anomalies li { margin: 3px 0; }
.verdict { border: 1px solid var(--line); border-left-width: 6px; border-radius: 6px; padding: 10px 14px; }
.verdict.wide { grid-column: 1 / -1; }
.verdict.valid { border-left-color: var(--ok); }
.verdict.invalid { border-left-color: var(--bad); background: #fffafa; }
.verdict.unknown { border-left-color: var(--unknown); }
.verdict .label { font-size: 18px; font-weight: 700; letter-spacing: 0.02em; }
.verdict.valid .label { color: var(--ok); }
.verdict.invalid .label { color: var(--bad); }
.verdict.unknown .label { color: var(--unknown); }
.verdict p { margin: 6px 0; }
.verdict .anomaly-types span { display: inline-block; margin: 2px 4px 2px 0; padding: 0 6px; border-radius: 4px;
  background: var(--bad-bg); color: var(--bad); font-weight: 600; font-size: 12px; }
.checker-view { margin-top: 8px; overflow-x: auto; }
.checker-view pre { max-height: 320px; overflow: auto; background: var(--panel); padding: 8px; border-radius: 4px; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 8px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
th { background: var(--panel); font-weight: 600; font-size: 12px; color: var(--muted); position: sticky; top: 0; }
td.text, th.text { text-align: left; }
tr.group td { background: #fbfcfd; font-weight: 600; text-align: left; }
.table-wrap { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; }
.table-wrap table tr:last-child td { border-bottom: 0; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
.win { color: var(--ok); font-weight: 600; }
.lose { color: var(--muted); }
.zero { color: var(--muted); }
.warn-cell { color: var(--bad); font-weight: 600; }
.primary { font-weight: 600; }
.caveat { color: var(--muted); margin: 6px 0; }
.op-charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 14px 18px; }
.chart-box { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px 4px; min-width: 0; }
.chart-box .title { font-weight: 600; }
.chart-box .caption { color: var(--muted); font-size: 12px; margin-bottom: 4px; min-height: 2.9em; }
.chart { width: 100%; min-height: 240px; }
.chart .empty { color: var(--muted); padding: 40px 0; text-align: center; }
.uplot .u-legend { font-size: 12px; text-align: left; }
.kv { display: grid; grid-template-columns: repeat(auto-fit, minmax(380px, 1fr)); gap: 14px; }
.kv table td:first-child { color: var(--muted); text-align: left; width: 40%; }
.kv table td { text-align: left; white-space: normal; }
tr.differs td { background: var(--warn-bg); }
.side-by-side table td { text-align: left; white-space: normal; }
.side-by-side table td:first-child { color: var(--muted); }
details { margin: 6px 0; }
details summary { cursor: pointer; }
.hdr { display: grid; grid-template-columns: 1fr auto; gap: 4px 8px; margin: 6px 0 12px; }
.hdr textarea { width: 100%; height: 54px; resize: vertical; }
.hdr button { align-self: start; }
footer { margin-top: 36px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding-top: 10px; }
footer dt { font-weight: 600; color: var(--fg); }
footer dd { margin: 0 0 6px 0; }
nav.toc { margin: 10px 0 0; display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 13px; }
.suite { border: 1px solid var(--line); border-radius: 8px; padding: 4px 16px 16px; margin: 18px 0; }
@media print { .chart-box { break-inside: avoid; } nav.toc, .hdr button { display: none; } }
`;
