import type { Anomaly, CheckResult } from '../../checkers/checker.js';
import { pairOps } from '../../checkers/history/op-pairs.js';
import type { Op } from '../../checkers/history/op.js';

/**
 * Terms of the zk-election workload: every `elect` that succeeded reports its term (its
 * election node's sequence number). Two rules: a term belongs to one leader only
 * (`duplicate-term`), and a leader elected after another one finished being elected has a
 * higher term (`term-regression`, real-time order per election key).
 */
export function checkElectionTerms(history: readonly Op[]): CheckResult {
  const started = performance.now();
  const elected = pairOps(history.filter((op) => op.f === 'elect')).pairs.filter((p) => p.outcome === 'ok' && typeof p.value === 'number');
  const anomalies: Anomaly[] = [];
  const byKey = new Map<string, typeof elected>();
  for (const p of elected) {
    const k = JSON.stringify(p.key ?? null);
    let list = byKey.get(k);
    if (!list) byKey.set(k, (list = []));
    list.push(p);
  }
  for (const [k, list] of byKey) {
    const owners = new Map<number, (typeof list)[number]>();
    for (const p of list) {
      const term = p.value as number;
      const other = owners.get(term);
      if (other && other.process !== p.process) {
        anomalies.push({
          type: 'duplicate-term',
          explanation: `Term ${term} of election ${k} was won twice: by process ${String(other.process)} (op ${other.completion!.index}) and by process ${String(p.process)} (op ${p.completion!.index}).`,
          ops: [other.completion!.index, p.completion!.index],
        });
      }
      owners.set(term, p);
    }
    // Real-time order: compare each election with the highest term completed before it began.
    const byCompletion = [...list].sort((a, b) => a.completion!.index - b.completion!.index);
    const byInvoke = [...list].sort((a, b) => a.invoke.index - b.invoke.index);
    let i = 0;
    let best: (typeof list)[number] | undefined;
    for (const p of byInvoke) {
      while (i < byCompletion.length && byCompletion[i]!.completion!.index < p.invoke.index) {
        const c = byCompletion[i++]!;
        if (!best || (c.value as number) > (best.value as number)) best = c;
      }
      if (best && (p.value as number) <= (best.value as number)) {
        anomalies.push({
          type: 'term-regression',
          explanation: `Process ${String(p.process)} was elected in election ${k} with term ${String(p.value)} (op ${p.completion!.index}), after process ${String(best.process)} had already been elected with term ${String(best.value)} (op ${best.completion!.index}): terms must grow.`,
          ops: [best.completion!.index, p.invoke.index, p.completion!.index],
        });
      }
    }
  }
  const types = ['duplicate-term', 'term-regression'].filter((t) => anomalies.some((a) => a.type === t));
  return {
    checker: 'election-terms',
    model: 'zk-election',
    valid: anomalies.length === 0,
    anomalyTypes: types,
    anomalies,
    summary:
      anomalies.length === 0
        ? `${elected.length} elections across ${byKey.size} election(s): every term had one leader and terms grew in real-time order.`
        : `${anomalies.length} violation(s): ${types.join(', ')}. ${anomalies[0]!.explanation}`,
    stats: { elections: elected.length, keys: byKey.size, elapsedMs: performance.now() - started },
  };
}
