import type { CheckResult } from '../../checkers/checker.js';
import type { LinearizabilityDetails } from '../../checkers/linearizability/linearizability-checker.js';
import type { PathStep, ReportedOp, TimelineOp } from '../../checkers/linearizability/partition-result.js';
import { escapeHtml, jsonForScript } from '../html.js';

type Failure = LinearizabilityDetails['failures'][number];

/** Around the failing op the timeline shows this many events before it and a few after. */
const EVENTS_BEFORE = 80;
const EVENTS_AFTER = 12;
const STEP_PX = 24;
const ROW_PX = 24;
const LEFT_PX = 96;
const TOP_PX = 22;
/** Steps of the longest partial linearization listed (the last ones, nearest the failure). */
const STEPS_LISTED = 40;
const PATHS_LISTED = 10;

/**
 * The linearizability checker's view (Knossos' linear.svg, Porcupine's visualisation): for
 * each failing key, a per-process timeline of the ops around the failure (the failing op in
 * red, the ops of the longest partial linearization in green with their order, ops it left
 * out in grey), that linearization step by step with the model state after each step, and the
 * final paths. Hovering an op shows it and the model states before and after it. A pure
 * function of the check result; the fragment carries its own CSS and JS and loads nothing.
 */
export function renderLinearizabilityView(check: CheckResult): string | null {
  const details = check.details as LinearizabilityDetails | undefined;
  if (check.checker !== 'linearizability' || !details || details.failures.length === 0) return null;
  const id = `kz-lin-${fnv(JSON.stringify(details.failures.map((f) => [f.label, f.op.index])))}`;
  const tips: Record<string, string[]> = {};
  const sections = details.failures.map((f, n) => renderFailure(f, n, tips));
  return `<div class="kz-lin" id="${id}">
<style>${css(id)}</style>
${sections.join('\n')}
<div class="kz-lin-tip" hidden></div>
<script type="application/json" class="kz-lin-data">${jsonForScript(tips)}</script>
<script>${tooltipScript(id)}</script>
</div>`;
}

/** A standalone page around the view (for `kzbench check --html` and for looking at it in a browser). */
export function renderLinearizabilityPage(check: CheckResult): string {
  const view = renderLinearizabilityView(check) ?? '<p>Nothing to draw: no key failed.</p>';
  const verdict = check.valid === true ? 'VALID' : check.valid === false ? 'INVALID' : 'UNKNOWN';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(`${verdict}: ${check.model}`)}</title></head>
<body style="margin:24px;font:14px system-ui,sans-serif"><h3>${escapeHtml(`${verdict} · linearizability against ${check.model}`)}</h3><p>${escapeHtml(check.summary)}</p>${view}</body></html>`;
}

function renderFailure(f: Failure, n: number, tips: Record<string, string[]>): string {
  const order = new Map<number, number>(); // timeline id -> position in the longest linearization
  f.longest.forEach((step, i) => order.set(step.id, i));
  const stateBefore = (i: number) => (i === 0 ? f.initialState : f.longest[i - 1]!.state);

  for (const op of f.timeline) {
    const lines = [`process ${String(op.process)}: ${op.f}${op.value === undefined ? '' : ` ${show(op.value)}`}`, outcomeText(op)];
    const i = order.get(op.id);
    if (op.id === f.failingId) lines.push(`cannot be linearized: ${f.reason}`);
    if (i !== undefined) lines.push(`step ${i + 1} of the longest partial linearization`, `state before: ${stateBefore(i)}`, `state after: ${f.longest[i]!.state}`);
    else if (op.noOp) lines.push('a read of nil: fits any state, left out of the search');
    else if (op.id !== f.failingId) lines.push('not in the longest partial linearization');
    tips[`${n}:${op.id}`] = lines;
  }

  const title = `${f.label === 'history' ? '' : `${capitalise(f.label)}: `}${opText(f.op)} cannot be linearized`;
  const previous = f.previousOk ? `The last ok op before it was ${opText(f.previousOk)}. ` : 'It is the first ok op of the history. ';
  return `<section class="kz-lin-failure">
<h4>${escapeHtml(title)}</h4>
<p class="kz-lin-reason">${escapeHtml(f.reason)}</p>
<p>${escapeHtml(previous)}The search linearized at most ${f.longest.length} of the ${f.timeline.length} ops before getting stuck.</p>
${legend()}
${renderTimeline(f, n, order)}
${renderLongest(f, stateBefore)}
${renderPaths(f)}
</section>`;
}

function renderTimeline(f: Failure, n: number, order: Map<number, number>): string {
  // x is the rank of an event among this partition's events, so idle stretches take no room.
  const positions = [...new Set(f.timeline.flatMap((op) => (op.completeIndex === null ? [op.invokeIndex] : [op.invokeIndex, op.completeIndex])))].sort((a, b) => a - b);
  const rank = new Map(positions.map((p, i) => [p, i]));
  const open = positions.length; // the right edge: where ops that never returned end
  const failing = f.timeline[f.failingId]!;
  const focus = rank.get(failing.completeIndex ?? failing.invokeIndex)!;
  const lo = Math.max(0, focus - EVENTS_BEFORE);
  const hi = Math.min(open, focus + EVENTS_AFTER);
  // An indeterminate op may take effect any time after its start: it runs to the right edge.
  const span = (op: TimelineOp) => ({ start: rank.get(op.invokeIndex)!, end: op.completeIndex === null || op.outcome === 'info' ? open : rank.get(op.completeIndex)! });
  const shown = f.timeline.filter((op) => {
    const { start, end } = span(op);
    return start <= hi && end >= lo;
  });
  const processes = [...new Set(shown.map((op) => op.process))].sort(compareProcesses);
  const row = new Map(processes.map((p, i) => [p, i]));
  const x = (r: number) => (Math.min(Math.max(r, lo - 1), hi + 1) - lo + 1) * STEP_PX;
  const width = x(hi + 1) + STEP_PX * 2;
  const height = TOP_PX + processes.length * ROW_PX + 8;

  const labels = processes.map((p, i) => {
    const y = TOP_PX + i * ROW_PX;
    return `<text class="proc" x="${LEFT_PX - 8}" y="${y + 15}" text-anchor="end">${escapeHtml(`process ${String(p)}`)}</text>`;
  });
  const lanes = processes.map((_, i) => {
    const y = TOP_PX + i * ROW_PX + ROW_PX - 2;
    return `<line class="lane" x1="0" x2="${width}" y1="${y}" y2="${y}"/>`;
  });
  const bars = shown.map((op) => {
    const { start, end } = span(op);
    const x1 = x(start);
    const x2 = Math.max(x(end), x1 + (op.id === f.failingId ? 64 : 6));
    const y = TOP_PX + row.get(op.process)! * ROW_PX + 3;
    const i = order.get(op.id);
    const kind = op.id === f.failingId ? 'fail' : i !== undefined ? 'lin' : op.noOp ? 'noop' : 'out';
    const classes = `op ${kind}${op.completeIndex === null || op.outcome === 'info' ? ' open' : ''}`;
    const label = `${op.f}${op.value === undefined ? '' : ` ${show(op.value)}`}`;
    const ordinal = i !== undefined ? `<text class="ord" x="${x1 + 2}" y="${y - 1}">${i + 1}</text>` : '';
    return `<g class="${classes}" data-tip="${n}:${op.id}"><rect x="${x1}" y="${y}" width="${x2 - x1}" height="${ROW_PX - 8}" rx="3"/><text x="${x1 + 4}" y="${y + 12}">${escapeHtml(clip(label, Math.floor((x2 - x1 - 6) / 6.5)))}</text>${ordinal}</g>`;
  });
  const axis = `<text class="axis" x="4" y="12">${lo > 0 ? `… ${lo} earlier events` : 'start'}</text><text class="axis" x="${x(hi)}" y="12" text-anchor="end">history order →</text>`;
  // Process names stay put while the lanes scroll; the page scrolls the lanes so the failing
  // op is in view (data-focus is its x).
  return `<div class="kz-lin-timeline"><svg class="kz-lin-names" xmlns="http://www.w3.org/2000/svg" width="${LEFT_PX}" height="${height}">${labels.join('')}</svg><div class="kz-lin-scroll" data-focus="${x(focus)}"><svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="timeline of the ops around the failure">${axis}${lanes.join('')}${bars.join('')}</svg></div></div>`;
}

function renderLongest(f: Failure, stateBefore: (i: number) => string): string {
  if (f.longest.length === 0) return '<p>No op could be linearized at all: the very first required op already fails.</p>';
  const from = Math.max(0, f.longest.length - STEPS_LISTED);
  const byId = new Map(f.timeline.map((op) => [op.id, op]));
  const items = f.longest.slice(from).map((step, k) => {
    const i = from + k;
    const op = byId.get(step.id)!;
    return `<li value="${i + 1}"><code>${escapeHtml(`${String(op.process)} ${op.f}${op.value === undefined ? '' : ` ${show(op.value)}`}`)}</code> <span class="state">${escapeHtml(stateBefore(i))} → ${escapeHtml(step.state)}</span></li>`;
  });
  const earlier = from > 0 ? `<p class="caveat">… ${from} earlier steps not listed.</p>` : '';
  return `<details open><summary>Longest partial linearization (${f.longest.length} ops), with the state after each</summary>${earlier}<ol class="kz-lin-steps">${items.join('')}</ol></details>`;
}

function renderPaths(f: Failure): string {
  if (f.finalPaths.length === 0) return '';
  const shown = f.finalPaths.slice(0, PATHS_LISTED);
  const count = `${shown.length} of ${f.finalPathCount}${f.finalPathsBounded ? '+' : ''}`;
  const paths = shown.map((path) => `<li>${path.map(stepHtml).join(' <span class="arrow">→</span> ')}</li>`);
  return `<details open><summary>Final paths (${count}): each order of the ops pending at the failure, from the last state that linearizes everything before it, up to where the model objects</summary><ol class="kz-lin-paths">${paths.join('')}</ol></details>`;
}

function stepHtml(step: PathStep): string {
  const op = `${String(step.op.process)} ${step.op.f}${step.op.value === undefined ? '' : ` ${show(step.op.value)}`}${step.op.type === 'info' ? ' (info)' : ''}`;
  return `<span class="${step.inconsistent ? 'bad' : 'good'}"><code>${escapeHtml(op)}</code> ${escapeHtml(step.inconsistent ? `✗ ${step.state}` : `⇒ ${step.state}`)}</span>`;
}

function legend(): string {
  const item = (cls: string, text: string) => `<span class="key ${cls}"><i></i>${escapeHtml(text)}</span>`;
  return `<p class="kz-lin-legend">${item('fail', 'cannot be linearized')}${item('lin', 'in the longest partial linearization (number = order)')}${item('out', 'left out of it')}${item('noop', 'read of nil (fits any state)')}${item('open', 'indeterminate: may take effect any time after its start')}</p>`;
}

function css(id: string): string {
  const s = `#${id}`;
  return `${s}{font:13px/1.45 system-ui,sans-serif;color:#1d2330}
${s} h4{margin:.8em 0 .2em;font-size:14px}
${s} .kz-lin-reason{font-weight:600;color:#b3261e;margin:.2em 0}
${s} .kz-lin-timeline{display:flex;border:1px solid #d8dce5;border-radius:6px;background:#fbfcfe;margin:.5em 0}
${s} .kz-lin-names{flex:none;border-right:1px solid #eef0f5}
${s} .kz-lin-scroll{overflow-x:auto;flex:1}
${s} svg text{font:11px ui-monospace,monospace;fill:#1d2330;pointer-events:none}
${s} svg .proc{fill:#5b6478}${s} svg .axis{fill:#8a93a6}${s} svg .ord{font-size:9px;fill:#2e7d32}
${s} svg .lane{stroke:#eef0f5}
${s} .op rect{stroke-width:1.2;cursor:default}
${s} .op.lin rect{fill:#dff3e4;stroke:#2e7d32}${s} .op.fail rect{fill:#fde2e0;stroke:#b3261e;stroke-width:2.2}
${s} .op.out rect{fill:#eceef3;stroke:#8a93a6}${s} .op.noop rect{fill:#f7f8fa;stroke:#c9ced9}
${s} .op.open rect{stroke-dasharray:4 3}
${s} .op:hover rect,${s} .op.hl rect{filter:brightness(.92);stroke-width:2.4}
${s} .kz-lin-legend{display:flex;flex-wrap:wrap;gap:12px;margin:.3em 0;color:#5b6478}
${s} .key i{display:inline-block;width:18px;height:10px;border-radius:2px;margin-right:5px;vertical-align:-1px;border:1.2px solid}
${s} .key.lin i{background:#dff3e4;border-color:#2e7d32}${s} .key.fail i{background:#fde2e0;border-color:#b3261e}
${s} .key.out i{background:#eceef3;border-color:#8a93a6}${s} .key.noop i{background:#f7f8fa;border-color:#c9ced9}
${s} .key.open i{background:#fff;border-style:dashed;border-color:#5b6478}
${s} .kz-lin-steps,${s} .kz-lin-paths{margin:.3em 0 .3em 0;padding-left:3.2em}
${s} .kz-lin-steps .state{color:#5b6478}
${s} .kz-lin-paths .bad{color:#b3261e}${s} .kz-lin-paths .arrow{color:#8a93a6}
${s} details summary{cursor:pointer;color:#34405a;margin:.4em 0}
${s} .caveat{color:#8a93a6}
${s} .kz-lin-tip{position:fixed;z-index:10;max-width:420px;background:#1d2330;color:#fff;padding:6px 9px;border-radius:5px;font:12px/1.4 ui-monospace,monospace;pointer-events:none;white-space:pre-wrap}`;
}

/** Hover: show the op's lines next to the pointer. Plain DOM, no library. */
function tooltipScript(id: string): string {
  return `(function(){var root=document.getElementById(${JSON.stringify(id)});if(!root)return;
var data=JSON.parse(root.querySelector('.kz-lin-data').textContent);var tip=root.querySelector('.kz-lin-tip');
root.addEventListener('mousemove',function(e){var g=e.target.closest&&e.target.closest('[data-tip]');
if(!g||!root.contains(g)){tip.hidden=true;return;}var lines=data[g.getAttribute('data-tip')];if(!lines){tip.hidden=true;return;}
tip.textContent=lines.join('\\n');tip.hidden=false;tip.style.left=(e.clientX+14)+'px';tip.style.top=(e.clientY+12)+'px';});
root.addEventListener('mouseleave',function(){tip.hidden=true;});
root.querySelectorAll('.kz-lin-scroll').forEach(function(s){s.scrollLeft=Math.max(0,Number(s.getAttribute('data-focus'))-s.clientWidth*0.75);});})();`;
}

function opText(op: ReportedOp): string {
  return `process ${String(op.process)}'s ${op.f}${op.value === undefined ? '' : ` ${show(op.value)}`} (op ${op.index}${op.type === 'info' ? ', indeterminate' : ''})`;
}

function outcomeText(op: TimelineOp): string {
  if (op.completeIndex === null) return `invoked at op ${op.invokeIndex}, never completed (indeterminate)`;
  return `invoked at op ${op.invokeIndex}, ${op.outcome === 'ok' ? 'ok' : 'info (indeterminate)'} at op ${op.completeIndex}`;
}

/** Values as Jepsen prints them: nil, 3, "s", [1 2]. */
function show(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(show).join(' ')}]`;
  if (typeof value === 'object') return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k} ${show(v)}`).join(', ')}}`;
  return String(value);
}

function clip(text: string, max: number): string {
  if (max <= 1) return '';
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

function compareProcesses(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return 1;
  if (typeof b === 'number') return -1;
  return String(a).localeCompare(String(b));
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function fnv(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}
