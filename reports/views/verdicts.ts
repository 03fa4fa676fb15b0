import type { CheckResult } from '../../checkers/checker.js';
import { escapeHtml } from '../html.js';
import { checkerViewFor } from './checker-views.js';
import { sectionOpen, type SectionOptions } from './section.js';

/** How many anomalies a card lists before it summarises the rest. */
const anomaliesShown = 8;

function verdictClass(valid: CheckResult['valid']): 'valid' | 'invalid' | 'unknown' {
  return valid === true ? 'valid' : valid === false ? 'invalid' : 'unknown';
}

const verdictLabel = { valid: 'VALID', invalid: 'INVALID', unknown: 'UNKNOWN' } as const;

function renderStats(stats: Record<string, number> | undefined): string {
  if (!stats || Object.keys(stats).length === 0) return '';
  return `<p class="caveat">${Object.entries(stats)
    .map(([k, v]) => `${escapeHtml(k)} ${escapeHtml(Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(2))}`)
    .join(' · ')}</p>`;
}

function renderAnomalies(check: CheckResult): string {
  if (check.anomalies.length === 0) return '';
  const items = check.anomalies.slice(0, anomaliesShown).map((a) => {
    const ops = a.ops && a.ops.length > 0 ? ` <span class="caveat">ops ${escapeHtml(a.ops.slice(0, 12).join(', ') + (a.ops.length > 12 ? ', …' : ''))}</span>` : '';
    return `<li><strong>${escapeHtml(a.type)}</strong>: ${escapeHtml(a.explanation)}${ops}</li>`;
  });
  const more = check.anomalies.length > anomaliesShown ? `<li class="caveat">…and ${check.anomalies.length - anomaliesShown} more in results.json.</li>` : '';
  return `<ul class="anomalies">${items.join('')}${more}</ul>`;
}

/** Above this much JSON, generic details are cut (results.json keeps them whole). */
const detailsShownChars = 20_000;

/** Without a checker-specific view, the raw `details` stay one click away. */
function renderRawDetails(check: CheckResult): string {
  if (check.details === undefined || check.details === null) return '';
  let text: string;
  try {
    text = JSON.stringify(check.details, null, 2) ?? '';
  } catch {
    return '';
  }
  const cut = text.length > detailsShownChars ? `${text.slice(0, detailsShownChars)}\n… (${text.length - detailsShownChars} more characters in results.json)` : text;
  return `<details class="checker-view"><summary>${escapeHtml(check.checker)} details</summary><pre class="mono">${escapeHtml(cut)}</pre></details>`;
}

/** A checker's own view, isolated: a view that throws must not take the report down with it. */
function renderCheckerView(check: CheckResult): string {
  const view = checkerViewFor(check.checker);
  if (!view) return renderRawDetails(check);
  try {
    const html = view(check);
    return html ? `<div class="checker-view">${html}</div>` : '';
  } catch (err) {
    return `<p class="caveat">The ${escapeHtml(check.checker)} view failed to render: ${escapeHtml((err as Error).message)}</p>`;
  }
}

/** Verdict cards, first thing after the header when checkers ran. */
export function renderVerdicts(checks: ReadonlyArray<{ source: string; check: CheckResult }>, showSource: boolean, section: SectionOptions = {}): string {
  if (checks.length === 0) return '';
  const cards = checks.map(({ source, check }) => {
    const cls = verdictClass(check.valid);
    const types =
      check.anomalyTypes.length > 0 ? `<div class="anomaly-types">${check.anomalyTypes.map((t) => `<span>${escapeHtml(t)}</span>`).join('')}</div>` : '';
    const view = renderCheckerView(check);
    // A checker's own view (timelines, cycles) needs room: its card spans the whole row.
    const wide = view.startsWith('<div class="checker-view">') ? ' wide' : '';
    return `<div class="verdict ${cls}${wide}">
<div><span class="label">${verdictLabel[cls]}</span> · <strong>${escapeHtml(check.checker)}</strong> against <code>${escapeHtml(check.model)}</code>${
      showSource ? ` <span class="caveat">(${escapeHtml(source)})</span>` : ''
    }</div>
${types}<p>${escapeHtml(check.summary)}</p>${renderStats(check.stats)}${renderAnomalies(check)}${view}
</div>`;
  });
  const invalid = checks.filter((c) => c.check.valid === false).length;
  const unknown = checks.filter((c) => c.check.valid === 'unknown').length;
  const headline =
    invalid > 0
      ? `${invalid} of ${checks.length} checks found a violation.`
      : unknown > 0
        ? `No violation found, but ${unknown} of ${checks.length} checks could not decide within their budget.`
        : `All ${checks.length} checks passed.`;
  return `${sectionOpen(section, 'verdicts', 'Verdicts')}<p>${escapeHtml(headline)}</p><div class="verdicts">${cards.join('')}</div></section>`;
}
