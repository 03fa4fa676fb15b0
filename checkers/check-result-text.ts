import type { CheckResult } from './checker.js';
import { showValue } from './models/model-values.js';
import type { PathStep } from './linearizability/partition-result.js';

const verdictWords = { true: 'VALID', false: 'INVALID', unknown: 'UNKNOWN' } as const;

/** A CheckResult in plain words, for a terminal: verdict, summary, each anomaly, and the check's figures. */
export function formatCheckResultText(result: CheckResult, opts: { maxAnomalies?: number; maxPaths?: number } = {}): string {
  const maxAnomalies = opts.maxAnomalies ?? 10;
  const maxPaths = opts.maxPaths ?? 3;
  const lines: string[] = [];
  lines.push(`${verdictWords[String(result.valid) as keyof typeof verdictWords]} (${result.checker}, model ${result.model})`);
  lines.push(result.summary);
  result.anomalies.slice(0, maxAnomalies).forEach((a, i) => {
    lines.push('');
    lines.push(`${i + 1}. ${a.type}: ${a.explanation}`);
    const paths = (a.data as { finalPaths?: PathStep[][]; finalPathCount?: number } | undefined)?.finalPaths;
    if (paths && paths.length > 0) {
      const total = (a.data as { finalPathCount?: number }).finalPathCount ?? paths.length;
      lines.push(`   Final paths (${Math.min(maxPaths, paths.length)} of ${total}):`);
      for (const path of paths.slice(0, maxPaths)) {
        path.forEach((step, j) => {
          const op = `process ${String(step.op.process)} ${step.op.f}${step.op.value === undefined ? '' : ` ${showValue(step.op.value)}`} (op ${step.op.index}${step.op.type === 'info' ? ', info' : ''})`;
          lines.push(`   ${j === 0 ? '-' : ' '} ${op} ${step.inconsistent ? '✗' : '→'} ${step.state}`);
        });
      }
    }
  });
  if (result.anomalies.length > maxAnomalies) lines.push('', `... and ${result.anomalies.length - maxAnomalies} more anomalies (see --json).`);
  if (result.stats) {
    lines.push('');
    lines.push(
      Object.entries(result.stats)
        .map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toFixed(1)}`)
        .join(' '),
    );
  }
  return lines.join('\n');
}
