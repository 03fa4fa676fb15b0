import { allImpossibleModels, friendlyModelName } from './consistency-models.js';
import { DependencyGraph, DependencyGraphBuilder } from './dependency-graph.js';
import { Rel } from './rels.js';
import { stronglyConnectedComponents } from './strongly-connected.js';

/**
 * Cheap proofs that a model is violated without naming the cycle (Elle's
 * `cycle-exists-specs`). Each model forbids every cycle in some subgraph; a strongly
 * connected component there proves a forbidden cycle exists. These run before the typed
 * searches: they are exact, they tell which typed searches cannot succeed, and they are what
 * the report falls back on when a typed search runs out of time.
 *
 * Snapshot isolation is the subtle one: it allows cycles only when two rw edges are adjacent,
 * so its subgraph is the "sequential extension" A ∪ (A;rw) with A = ww ∪ wr: a walk there
 * never takes two rw steps in a row.
 */
export interface CycleExistsSpec {
  /** Canonical model name, e.g. `PL-SI`. */
  model: string;
  /** The anomaly it yields, e.g. `PL-SI-cycle-exists`. */
  type: string;
  /** Relations of the plain union, or of A in A ∪ (A;rw). */
  rels: number;
  /** Whether rw extends A sequentially (the SI family). */
  extension: boolean;
}

const { ww, wr, rw, process, realtime } = Rel;

export const cycleExistsSpecs: readonly CycleExistsSpec[] = [
  { model: 'PL-1', rels: ww, extension: false },
  { model: 'PL-2', rels: ww | wr, extension: false },
  { model: 'PL-SI', rels: ww | wr, extension: true },
  { model: 'PL-2.99', rels: ww | wr | rw, extension: false },
  { model: 'PL-3', rels: ww | wr | rw, extension: false },
  { model: 'strong-session-PL-1', rels: ww | process, extension: false },
  { model: 'strong-session-PL-2', rels: ww | wr | process, extension: false },
  { model: 'strong-session-snapshot-isolation', rels: ww | wr | process, extension: true },
  { model: 'strong-session-serializable', rels: ww | wr | rw | process, extension: false },
  { model: 'strong-PL-1', rels: ww | realtime, extension: false },
  { model: 'strong-PL-2', rels: ww | wr | realtime, extension: false },
  { model: 'strong-snapshot-isolation', rels: ww | wr | realtime, extension: true },
  { model: 'PL-SS', rels: ww | wr | rw | realtime, extension: false },
].map((s) => ({ ...s, type: `${s.model}-cycle-exists` }));

export interface CycleExistsCase {
  type: string;
  /** The (friendly) model this rules out. */
  not: string;
  /** The relations of the subgraph, e.g. `ww ∪ wr ∪ (ww ∪ wr);rw`. */
  subgraph: string;
  /** Vertices (local ids) of the smallest such component. */
  scc: number[];
}

/** Runs every cycle-exists spec over one strongly connected component, skipping models already ruled out. */
export function cycleExistsCases(graph: DependencyGraph): CycleExistsCase[] {
  const cases: CycleExistsCase[] = [];
  const ruledOut = new Set<string>();
  for (const spec of cycleExistsSpecs) {
    if (ruledOut.has(spec.model)) continue;
    const scc = smallestComponent(graph, spec);
    if (!scc) continue;
    cases.push({ type: spec.type, not: friendlyModelName(spec.model), subgraph: describeSubgraph(spec), scc });
    for (const m of allImpossibleModels([spec.model])) ruledOut.add(m);
  }
  return cases;
}

function smallestComponent(graph: DependencyGraph, spec: CycleExistsSpec): number[] | null {
  if (!spec.extension) {
    const sccs = stronglyConnectedComponents(graph, spec.rels);
    if (sccs.length === 0) return null;
    return [...sccs.reduce((a, b) => (b.length < a.length ? b : a))];
  }
  // A ∪ (A;rw) as a graph over 2n vertices: v, and v* = "just arrived over an A edge, may
  // now take one rw step". x -A-> y becomes x -> y*; y* -> y always; y -rw-> z becomes
  // y* -> z. Its cycles are exactly the walks with no two rw steps in a row.
  const n = graph.vertexCount;
  const ext = new DependencyGraphBuilder(2 * n);
  for (let v = 0; v < n; v++) {
    ext.link(n + v, v, ww);
    for (let slot = graph.offsets[v]!; slot < graph.offsets[v + 1]!; slot++) {
      const w = graph.targets[slot]!;
      const r = graph.rels[slot]!;
      if ((r & spec.rels) !== 0) ext.link(v, n + w, ww);
      if ((r & rw) !== 0) ext.link(n + v, w, ww);
    }
  }
  const sccs = stronglyConnectedComponents(ext.build(), ww);
  let best: number[] | null = null;
  for (const scc of sccs) {
    // Report only plain vertices: a transaction passed through only between an A step and
    // its rw step (the "linchpin") is not part of the extended graph's cycle.
    const plain = [...scc].filter((v) => v < n);
    if (plain.length > 0 && (best === null || plain.length < best.length)) best = plain;
  }
  return best;
}

function describeSubgraph(spec: CycleExistsSpec): string {
  const names = (['ww', 'wr', 'rw', 'process', 'realtime'] as const).filter((r) => (spec.rels & Rel[r]) !== 0);
  const a = names.join(' ∪ ');
  return spec.extension ? `${a} ∪ (${a});rw` : a;
}
