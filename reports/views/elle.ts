import type { Anomaly, CheckResult } from '../../checkers/checker.js';
import type { ExplainedCycle } from '../../checkers/elle/cycle-explanation.js';
import type { ElleDetails } from '../../checkers/elle/elle-run.js';
import { escapeHtml } from '../html.js';

/** Cycles drawn in full; more are counted. */
const CYCLES_SHOWN = 12;
/** Cases listed per non-cycle anomaly type. */
const CASES_SHOWN = 8;
/** Transactions of one cycle drawn on its graph (long fallback cycles are cut). */
const NODES_DRAWN = 40;

const relColors: Record<string, string> = {
  ww: '#1f6feb',
  wr: '#1a7f37',
  rw: '#cf222e',
  process: '#6e7781',
  realtime: '#bc4c00',
};

const relMeaning: Record<string, string> = {
  ww: 'ww: overwrote (write-write)',
  wr: 'wr: read what the other wrote (write-read)',
  rw: 'rw: did not see what the other wrote (anti-dependency)',
  process: 'process: same client, later',
  realtime: 'realtime: began after the other completed',
};

/**
 * The Elle view (list-append, rw-register, and the Kafka queue checker's cycles): which
 * models the history rules out, each anomaly with its explanation, and for each cycle the
 * transactions involved, the step-by-step reason for each edge, and a small SVG drawing of
 * the cycle with edges coloured by relation. A pure function of the check result; the
 * fragment carries its own CSS and loads nothing.
 */
export function renderElleView(check: CheckResult): string | null {
  if (check.checker !== 'elle' && check.checker !== 'kafka-queue') return null;
  const details = check.details as ElleDetails | undefined;
  if (!details || check.valid === true) return null;
  return renderElleDetails(details, check.anomalies);
}

/** The same view from the parts, for callers holding details and anomalies apart. */
export function renderElleDetails(details: ElleDetails, anomalies: readonly Anomaly[]): string {
  const cycleTypes = new Set(details.cycles.map((c) => c.type));
  const others = new Map<string, Anomaly[]>();
  for (const a of anomalies) {
    if (cycleTypes.has(a.type)) continue;
    if (!others.has(a.type)) others.set(a.type, []);
    others.get(a.type)!.push(a);
  }
  const parts: string[] = ['<div class="kz-elle">', `<style>${css}</style>`];
  parts.push(boundary(details));
  parts.push(counts(details, cycleTypes, others));
  if (details.cycles.length > 0) {
    parts.push(`<h4>Cycles</h4><p class="kz-elle-legend">${Object.entries(relMeaning)
      .map(([rel, text]) => `<span style="color:${relColors[rel]}">&#9632;</span> ${escapeHtml(text)}`)
      .join(' &nbsp; ')}</p>`);
    details.cycles.slice(0, CYCLES_SHOWN).forEach((c, i) => parts.push(cycleCard(c, i)));
    if (details.cycles.length > CYCLES_SHOWN) parts.push(`<p>… and ${details.cycles.length - CYCLES_SHOWN} more cycles.</p>`);
  }
  for (const [type, cases] of others) {
    parts.push(`<h4>${escapeHtml(type)}</h4><ul class="kz-elle-cases">${cases
      .slice(0, CASES_SHOWN)
      .map((a) => `<li>${escapeHtml(a.explanation)}</li>`)
      .join('')}</ul>`);
    const total = details.anomalyCounts[type] ?? cases.length;
    if (total > CASES_SHOWN) parts.push(`<p>… ${total - CASES_SHOWN} more.</p>`);
  }
  parts.push('</div>');
  return parts.join('\n');
}

function boundary(d: ElleDetails): string {
  const models = d.consistencyModels.length > 0 ? d.consistencyModels.join(', ') : 'the requested anomalies only';
  if (d.not.length === 0) return `<p>Checked against <b>${escapeHtml(models)}</b>.</p>`;
  return `<p>Checked against <b>${escapeHtml(models)}</b>. These anomalies rule out <b class="kz-elle-not">${escapeHtml(d.not.join(', '))}</b>${
    d.alsoNot.length > 0 ? ` and so also ${escapeHtml(d.alsoNot.join(', '))}` : ''
  }.</p>`;
}

function counts(d: ElleDetails, cycleTypes: Set<string>, others: Map<string, Anomaly[]>): string {
  const types = [...new Set([...cycleTypes, ...others.keys()])].sort();
  if (types.length === 0) return '';
  const rows = types.map((t) => `<tr><td>${escapeHtml(t)}</td><td class="kz-elle-n">${d.anomalyCounts[t] ?? 0}</td></tr>`).join('');
  return `<table class="kz-elle-counts"><thead><tr><th>anomaly</th><th>cases</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function cycleCard(c: ExplainedCycle, n: number): string {
  const txns = c.txns
    .map((t) => `<li><b>${escapeHtml(t.name)}</b> op ${t.index}, process ${escapeHtml(String(t.process))}${t.outcome === 'ok' ? '' : ` (${t.outcome})`}: <code>${escapeHtml(short(JSON.stringify(t.value)))}</code></li>`)
    .join('');
  const steps = c.steps
    .map((s, i) => {
      const last = i === c.steps.length - 1;
      const sentence = `${s.from} &lt; ${s.to}, because ${escapeHtml(s.text)}`;
      return `<li><span class="kz-elle-rel" style="background:${relColors[s.rel] ?? '#555'}">${escapeHtml(s.rel)}</span> ${last ? `However, ${sentence}: a contradiction!` : `${sentence}.`}</li>`;
    })
    .join('');
  return `<div class="kz-elle-cycle">
<div class="kz-elle-title">${escapeHtml(c.type)} #${n + 1}: ${c.txns.length} transactions${c.simple ? '' : ' (a closed walk: one transaction is visited twice)'}</div>
<div class="kz-elle-body">${cycleSvg(c)}<div><ul class="kz-elle-txns">${txns}</ul><ol class="kz-elle-steps">${steps}</ol></div></div>
</div>`;
}

/** The cycle on a circle, T1 at the top, edges as arrows coloured by relation. */
export function cycleSvg(c: ExplainedCycle): string {
  const names = c.txns.slice(0, NODES_DRAWN).map((t) => t.name);
  const k = names.length;
  const radius = Math.max(50, Math.min(150, k * 14));
  const size = 2 * radius + 80;
  const centre = size / 2;
  const at = new Map(names.map((name, i) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / k;
    return [name, { x: centre + radius * Math.cos(angle), y: centre + radius * Math.sin(angle) }] as const;
  }));
  const nodeR = 14;
  const markers = Object.entries(relColors)
    .map(([rel, color]) => `<marker id="kz-elle-arrow-${rel}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="${color}"/></marker>`)
    .join('');
  const edges = c.steps
    .filter((s) => at.has(s.from) && at.has(s.to))
    .map((s) => {
      const a = at.get(s.from)!;
      const b = at.get(s.to)!;
      const dx = b.x - a.x;
      const dy = b.y - a.y;
      const len = Math.hypot(dx, dy) || 1;
      // Bend each edge outward a little so a 2-cycle's two arrows do not overlap.
      const bend = k === 2 ? 30 : 12;
      const mx = (a.x + b.x) / 2 - (dy / len) * bend;
      const my = (a.y + b.y) / 2 + (dx / len) * bend;
      const sx = a.x + (dx / len) * nodeR;
      const sy = a.y + (dy / len) * nodeR;
      const ex = b.x - (dx / len) * (nodeR + 2);
      const ey = b.y - (dy / len) * (nodeR + 2);
      const color = relColors[s.rel] ?? '#555';
      return `<path d="M${f(sx)},${f(sy)} Q${f(mx)},${f(my)} ${f(ex)},${f(ey)}" fill="none" stroke="${color}" stroke-width="2" marker-end="url(#kz-elle-arrow-${s.rel})"><title>${escapeHtml(`${s.from} → ${s.to} (${s.rel}): ${s.text}`)}</title></path><text x="${f(mx)}" y="${f(my)}" class="kz-elle-edge" fill="${color}">${escapeHtml(s.rel)}</text>`;
    })
    .join('');
  const nodes = names
    .map((name) => {
      const p = at.get(name)!;
      return `<circle cx="${f(p.x)}" cy="${f(p.y)}" r="${nodeR}" class="kz-elle-node"/><text x="${f(p.x)}" y="${f(p.y + 4)}" class="kz-elle-label">${escapeHtml(name)}</text>`;
    })
    .join('');
  const cut = c.txns.length > NODES_DRAWN ? `<text x="8" y="${size - 8}" class="kz-elle-edge">first ${NODES_DRAWN} of ${c.txns.length}</text>` : '';
  return `<svg class="kz-elle-svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" role="img" aria-label="${escapeHtml(`${c.type} cycle of ${c.txns.length} transactions`)}"><defs>${markers}</defs>${edges}${nodes}${cut}</svg>`;
}

function f(n: number): string {
  return n.toFixed(1);
}

function short(text: string): string {
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

const css = `
.kz-elle{font:13px system-ui,sans-serif}
.kz-elle h4{margin:14px 0 6px}
.kz-elle-not{color:#cf222e}
.kz-elle-counts{border-collapse:collapse;margin:6px 0}
.kz-elle-counts td,.kz-elle-counts th{border:1px solid #d0d7de;padding:2px 8px;text-align:left}
.kz-elle-n{text-align:right}
.kz-elle-legend{color:#57606a}
.kz-elle-cycle{border:1px solid #d0d7de;border-radius:6px;margin:10px 0;padding:8px}
.kz-elle-title{font-weight:600;margin-bottom:6px}
.kz-elle-body{display:flex;gap:12px;align-items:flex-start;flex-wrap:wrap}
.kz-elle-body>div{flex:1;min-width:280px}
.kz-elle-txns,.kz-elle-steps{margin:4px 0;padding-left:20px}
.kz-elle-txns code{font-size:12px;word-break:break-all}
.kz-elle-rel{color:#fff;border-radius:3px;padding:0 4px;font-size:11px}
.kz-elle-svg{flex:none}
.kz-elle-node{fill:#fff;stroke:#24292f;stroke-width:1.5}
.kz-elle-label{font:bold 11px system-ui,sans-serif;text-anchor:middle}
.kz-elle-edge{font:10px system-ui,sans-serif;text-anchor:middle}
.kz-elle-cases{padding-left:20px}
`;
