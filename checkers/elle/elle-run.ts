import type { Anomaly, CheckResult, Validity } from '../checker.js';
import { AnomalyCollector } from './anomaly-collector.js';
import { analyzeCycles, CycleAnalysis } from './cycle-analysis.js';
import { ExplainedCycle, explainCycle } from './cycle-explanation.js';
import { cycleAnomalyTypes } from './cycle-specs.js';
import { ElleOptions } from './elle-options.js';
import { elleVerdict, reportableAnomalyTypes } from './elle-verdict.js';
import { SearchBudget } from './search-budget.js';
import { addProcessEdges, addRealtimeEdges } from './session-orders.js';
import { displayIndex, Txn, TxnHistory } from './transactions.js';
import type { WorkloadAnalysis } from './workload-analysis.js';

/** What the Elle report view renders (reports/views/elle.ts takes this shape). */
export interface ElleDetails {
  workload: string;
  consistencyModels: string[];
  /** Weakest models the anomalies rule out. */
  not: string[];
  /** Stronger models also ruled out. */
  alsoNot: string[];
  /** Every anomaly type found, whether or not it fails this check. */
  foundTypes: string[];
  /** Cases found per type (more than are listed). */
  anomalyCounts: Record<string, number>;
  /** Explained cycles of the reportable cycle anomalies. */
  cycles: ExplainedCycle[];
}

/** Which session orders the reportable anomalies need: realtime covers process (processes are sequential). */
function sessionOrder(opts: ElleOptions): 'realtime' | 'process' | 'none' {
  const reportable = [...reportableAnomalyTypes(opts)];
  if (reportable.some((t) => t.endsWith('-realtime') && cycleAnomalyTypes.has(t))) return 'realtime';
  if (reportable.some((t) => t.endsWith('-process') && cycleAnomalyTypes.has(t))) return 'process';
  return 'none';
}

function opIndices(txns: readonly Txn[], vertices: readonly number[]): number[] {
  return [...new Set(vertices)].map((v) => (txns[v]!.completion ?? txns[v]!.invoke).index);
}

/**
 * Runs the cycle analysis on a workload's dependencies, merges its non-cycle anomalies, and
 * renders the verdict, anomalies and report details. Shared by list-append, rw-register and
 * the Kafka queue checker.
 */
export function judgeTransactions(
  checker: string,
  workload: string,
  history: TxnHistory,
  analysis: WorkloadAnalysis,
  anomalies: AnomalyCollector,
  opts: ElleOptions,
  started: number,
): CheckResult {
  const txns = history.vertices;
  const stats: Record<string, number> = {
    transactions: txns.length,
    ok: txns.filter((t) => t.outcome === 'ok').length,
    info: txns.filter((t) => t.outcome === 'info').length,
    failed: history.failed.length,
    ...analysis.stats,
  };
  if (analysis.unusable) {
    anomalies.mark(analysis.unusable.type, analysis.unusable.explanation);
    return {
      checker,
      model: workload,
      valid: 'unknown',
      anomalyTypes: [analysis.unusable.type],
      anomalies: [...anomalies.cases(analysis.unusable.type)],
      summary: `Cannot analyse this ${workload} history: ${analysis.unusable.explanation}.`,
      stats: { ...stats, elapsedMs: Math.round(performance.now() - started) },
      details: emptyDetails(workload, opts, [analysis.unusable.type], anomalies),
    };
  }

  const order = sessionOrder(opts);
  if (order === 'realtime') addRealtimeEdges(analysis.builder, txns);
  if (order === 'process') addProcessEdges(analysis.builder, txns);
  const graph = analysis.builder.build();
  stats.edges = graph.edgeCount;
  if (graph.edgeCount === 0) {
    anomalies.mark('empty-transaction-graph', 'no dependencies between transactions could be inferred, so there is nothing to check; did the workload read what it wrote?');
  }

  const budget = SearchBudget.forMs(opts.timeLimitMs);
  const cycles: CycleAnalysis = analyzeCycles(graph, { cycleSearchTimeoutMs: opts.cycleSearchTimeoutMs, budget, relationPriority: analysis.relationPriority });
  stats.sccs = cycles.sccCount;
  stats.largestScc = cycles.largestScc;

  const explained = new Map<string, ExplainedCycle[]>();
  for (const c of cycles.cycles) {
    const ex = explainCycle(c, (v) => txns[v]!, analysis.explainer);
    anomalies.add(c.type, () => ({
      explanation: `A cycle of ${c.vertices.length - 1} transactions.\n${ex.explanation}`,
      ops: opIndices(txns, c.vertices),
      data: ex,
    }));
    if (!explained.has(c.type)) explained.set(c.type, []);
    explained.get(c.type)!.push(ex);
  }
  for (const c of cycles.cycleExists) {
    anomalies.add(c.type, () => ({
      explanation: `a cycle exists among ${c.scc.length} transactions (${c.scc
        .slice(0, 12)
        .map((v) => displayIndex(txns[v]!))
        .join(', ')}${c.scc.length > 12 ? ', ...' : ''}) using only ${c.subgraph} edges, so ${c.not} cannot hold`,
      ops: opIndices(txns, c.scc),
      data: { not: c.not, subgraph: c.subgraph, sccSize: c.scc.length },
    }));
  }
  for (const t of cycles.timeouts) {
    anomalies.add(t.type, () => ({
      explanation: `the search for ${t.anomalySpecType} in a strongly connected component of ${t.sccSize} transactions ran out of time (${opts.cycleSearchTimeoutMs} ms)${
        t.doesNotContain.length > 0 ? `; it does not contain ${t.doesNotContain.join(', ')}` : ''
      }. One cycle from it is shown instead; raise cycleSearchTimeoutMs to search further`,
      data: { anomalySpecType: t.anomalySpecType, doesNotContain: t.doesNotContain, sccSize: t.sccSize },
    }));
  }

  const verdict = elleVerdict(anomalies.types(), opts);
  const reported: Anomaly[] = verdict.anomalyTypes.flatMap((t) => [...anomalies.cases(t)]);
  stats.elapsedMs = Math.round(performance.now() - started);
  return {
    checker,
    model: workload,
    valid: verdict.valid,
    anomalyTypes: verdict.anomalyTypes,
    anomalies: reported,
    summary: summarize(workload, verdict.valid, verdict.anomalyTypes, verdict.not, opts, stats, anomalies),
    stats,
    details: {
      workload,
      consistencyModels: opts.consistencyModels,
      not: verdict.not,
      alsoNot: verdict.alsoNot,
      foundTypes: verdict.foundTypes,
      anomalyCounts: anomalies.allCounts(),
      cycles: verdict.anomalyTypes.flatMap((t) => explained.get(t) ?? []),
    } satisfies ElleDetails,
  };
}

function emptyDetails(workload: string, opts: ElleOptions, found: string[], anomalies: AnomalyCollector): ElleDetails {
  return { workload, consistencyModels: opts.consistencyModels, not: [], alsoNot: [], foundTypes: found, anomalyCounts: anomalies.allCounts(), cycles: [] };
}

function summarize(
  workload: string,
  valid: Validity,
  types: string[],
  not: string[],
  opts: ElleOptions,
  stats: Record<string, number>,
  anomalies: AnomalyCollector,
): string {
  const expected = [
    ...(opts.consistencyModels.length > 0 ? [opts.consistencyModels.join(', ')] : []),
    ...(opts.anomalies.length > 0 ? [`no ${opts.anomalies.join(', ')}`] : []),
  ].join('; ');
  const scope = `${stats.transactions} ${workload} transactions (${stats.ok} ok, ${stats.info} indeterminate, ${stats.failed} failed)`;
  if (valid === true) return `Checked ${scope} against ${expected}: no anomalies found.`;
  const found = types.map((t) => `${t} (${anomalies.count(t)})`).join(', ');
  const ruled = not.length > 0 ? ` The anomalies rule out ${not.join(', ')} and every stronger model.` : '';
  const head = valid === false ? `Checked ${scope} against ${expected}: found ${found}.` : `Checked ${scope} against ${expected} but could not decide: ${found}.`;
  return head + ruled;
}
