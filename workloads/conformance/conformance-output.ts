import type { ConformanceReport, JsonValue, ScenarioOutcome } from './conformance-result.js';

export interface OutputStyle {
  /** ANSI colours (only on a TTY). */
  color: boolean;
  /** Show at most this many mismatches per scenario in text (all are in --json). */
  maxMismatches?: number;
}

const paint = (on: boolean, code: number, s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

/**
 * One scenario's result as text: a `PASS`/`FAIL`/`SKIP` line, then (indented) each failed
 * expectation with its target and step, each mismatch with both values, and warnings.
 */
export function formatOutcome(outcome: ScenarioOutcome, labels: readonly string[], style: OutputStyle): string {
  const status = outcome.status.toUpperCase();
  const mark = outcome.status === 'pass' ? paint(style.color, 32, status) : outcome.status === 'fail' ? paint(style.color, 31, status) : paint(style.color, 33, status);
  const ms = Math.max(...outcome.runs.map((r) => r.durationMs));
  const lines = [`${mark} ${outcome.name}${outcome.status === 'skip' ? '' : ` (${(ms / 1000).toFixed(1)} s)`}`];
  const many = labels.length > 1;
  outcome.runs.forEach((run, i) => {
    const who = many ? `[${labels[i]}] ` : '';
    if (run.status === 'skip') {
      lines.push(`    ${who}skipped: ${run.reason}`);
      return;
    }
    for (const f of run.failures) lines.push(`    ${who}${f.step === null ? '' : `step ${f.step + 1} `}${f.label}: ${f.message}`);
    for (const w of run.warnings) lines.push(`    ${who}warning: ${w}`);
  });
  const mismatches = outcome.mismatches ?? [];
  const limit = style.maxMismatches ?? 20;
  for (const m of mismatches.slice(0, limit)) {
    lines.push(`    differs at step ${m.step + 1} ${m.label} ${m.path}: ${labels[0]} ${show(m.left)}, ${labels[1]} ${show(m.right)}`);
  }
  if (mismatches.length > limit) lines.push(`    ... and ${mismatches.length - limit} more differences (see --json)`);
  return lines.join('\n');
}

export function formatSummary(report: ConformanceReport): string {
  const s = report.summary;
  const targets = report.targets.map((t) => `${t.label} (${t.impl} ${t.version})`).join(' vs ');
  const diff = report.mode === 'diff' ? `; ${s.differing} with differences` : '';
  return `${report.system} conformance on ${targets}: ${s.passed} scenarios passed, ${s.failed} failed, ${s.skipped} skipped${diff}`;
}

function show(v: JsonValue | undefined): string {
  return v === undefined ? '(absent)' : JSON.stringify(v);
}
