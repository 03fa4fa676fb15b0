import { allImpliedAnomalies } from './anomaly-taxonomy.js';
import { allImpossibleModels, anomaliesProhibitedBy } from './consistency-models.js';
import { cycleExistsCases, cycleExistsSpecs } from './cycle-exists.js';
import { anyCycle, FoundCycle, searchCycle } from './cycle-search.js';
import { classifyCycle, cycleAnomalyTypes, cycleSpecs } from './cycle-specs.js';
import { DependencyGraph } from './dependency-graph.js';
import { SearchBudget, SearchTimeout } from './search-budget.js';
import { inducedSubgraph, stronglyConnectedComponents } from './strongly-connected.js';

/**
 * Cycle anomalies of a whole dependency graph: split it into strongly connected components
 * (cycles never leave one), prove which models each component violates (cycle-exists), then
 * search each component for concrete cycles, most severe anomaly first, skipping anomalies
 * already implied by one found or ruled out by the cycle-exists pass. A component whose
 * search runs out of time yields a `cycle-search-timeout` and one fallback cycle.
 */

export interface TypedCycle {
  type: string;
  /** Global vertex ids, closed: [T1, ..., Tn, T1]. */
  vertices: number[];
  rels: number[];
  simple: boolean;
}

export interface CycleExistsFinding {
  type: string;
  not: string;
  subgraph: string;
  /** Global vertex ids. */
  scc: number[];
}

export interface CycleSearchTimeoutFinding {
  type: 'cycle-search-timeout';
  /** The anomaly whose search ran out of time. */
  anomalySpecType: string;
  /** Anomalies fully searched (and not found) before the budget ran out. */
  doesNotContain: string[];
  sccSize: number;
}

export interface CycleAnalysis {
  cycles: TypedCycle[];
  cycleExists: CycleExistsFinding[];
  timeouts: CycleSearchTimeoutFinding[];
  sccCount: number;
  largestScc: number;
}

export interface CycleAnalysisOptions {
  /**
   * Which relation explains an edge that carries several, first wins. Elle's order follows
   * how each workload combines its graphs: list-append ww, wr, rw; rw-register wr, ww, rw;
   * then process, realtime.
   */
  relationPriority: readonly number[];
  /** Search only these cycle anomalies (default: all, as Elle does, so `not` is as sharp as possible). */
  searchTypes?: ReadonlySet<string>;
  /** How long to search one component before settling for cycle-exists plus a fallback cycle. */
  cycleSearchTimeoutMs: number;
  /** The whole check's budget. */
  budget: SearchBudget;
}

/** Cycle anomalies that cannot exist because no model proscribing them has a cycle-exists proof. */
function impossibleCycleAnomalies(foundModels: string[]): Set<string> {
  const impossible = allImpossibleModels(foundModels);
  const possible = cycleExistsSpecs.map((s) => s.model).filter((m) => !impossible.has(m));
  const prohibited = anomaliesProhibitedBy(possible);
  return new Set([...cycleAnomalyTypes].filter((t) => prohibited.has(t)));
}

/**
 * The same graph with each edge reduced to the one relation that explains it, the first in
 * the workload's priority, as Elle's combined explainer picks. An edge that is both rw
 * and realtime is an anti-dependency in every cycle it is part of, so typed cycles are named
 * as Elle names them. (Cycle-exists proofs keep every relation: any precedence is genuine.)
 */
export function explainedRelations(graph: DependencyGraph, priority: readonly number[]): DependencyGraph {
  const rels = graph.rels.map((r) => priority.find((p) => (r & p) !== 0) ?? 0);
  return new DependencyGraph(graph.vertexCount, graph.offsets, graph.targets, rels);
}

export function analyzeCycles(graph: DependencyGraph, opts: CycleAnalysisOptions): CycleAnalysis {
  const sccs = stronglyConnectedComponents(graph, 0xff);
  const result: CycleAnalysis = {
    cycles: [],
    cycleExists: [],
    timeouts: [],
    sccCount: sccs.length,
    largestScc: sccs.reduce((m, s) => Math.max(m, s.length), 0),
  };
  for (const scc of sccs) {
    const local = inducedSubgraph(graph, scc);
    const explained = explainedRelations(local, opts.relationPriority);
    const toGlobal = (vs: number[]) => vs.map((v) => scc[v]!);
    const exists = cycleExistsCases(local);
    for (const c of exists) result.cycleExists.push({ ...c, scc: toGlobal(c.scc) });

    const skip = impossibleCycleAnomalies(exists.map((c) => c.not));
    const searched: string[] = [];
    const found: TypedCycle[] = [];
    const budget = opts.budget.narrowed(opts.cycleSearchTimeoutMs);
    try {
      for (const spec of cycleSpecs) {
        if (skip.has(spec.type) || (opts.searchTypes && !opts.searchTypes.has(spec.type))) continue;
        searched.push(spec.type);
        const cycle = searchCycle(explained, spec, budget);
        if (!cycle) continue;
        const type = classifyCycle(cycle.rels);
        found.push({ type, vertices: toGlobal(cycle.vertices), rels: cycle.rels, simple: cycle.simple });
        for (const implied of allImpliedAnomalies([type])) skip.add(implied);
      }
    } catch (err) {
      if (!(err instanceof SearchTimeout)) throw err;
      const foundTypes = new Set(found.map((c) => c.type));
      result.timeouts.push({
        type: 'cycle-search-timeout',
        anomalySpecType: searched[searched.length - 1] ?? 'none',
        doesNotContain: searched.slice(0, -1).filter((t) => !foundTypes.has(t)),
        sccSize: scc.length,
      });
      const fallback: FoundCycle = anyCycle(explained);
      found.push({
        type: classifyCycle(fallback.rels),
        vertices: toGlobal(fallback.vertices),
        rels: fallback.rels,
        simple: fallback.simple,
      });
    }
    result.cycles.push(...found);
  }
  return result;
}
