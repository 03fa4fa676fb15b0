import { CycleSpec } from './cycle-specs.js';
import { DependencyGraph, DependencyGraphBuilder } from './dependency-graph.js';
import { Rel } from './rels.js';
import { SearchBudget } from './search-budget.js';
import { componentIds, stronglyConnectedComponents } from './strongly-connected.js';

/**
 * Shortest-cycle search for one anomaly spec inside one strongly connected component.
 *
 * Elle extends paths breadth-first, keeping every path; we instead run a breadth-first
 * search over (transaction, automaton state) pairs, where the automaton tracks what the spec
 * cares about (how many rw steps so far, whether the last step was rw, whether a wr or a
 * process/realtime step was taken). Each pair is visited once, so one search from an anchor
 * edge costs O(states x edges) instead of growing with the number of paths.
 *
 * Every cycle matching a spec can be rotated to start with the spec's anchor relation, so we
 * take anchor sources a in ascending order and search, from all of a's anchor edges a -> b at
 * once, for the shortest way back to a that leaves the automaton in an accepting state.
 */

export interface FoundCycle {
  /** Vertices of the cycle, first repeated at the end: [T1, T2, ..., T1]. */
  vertices: number[];
  /** The relation each step uses: rels[i] links vertices[i] -> vertices[i+1]. */
  rels: number[];
  /** False when the shortest matching closed walk visits some transaction twice. */
  simple: boolean;
}

// Automaton state bits.
const RW_COUNT = 3; // 0, 1, or 2 meaning "two or more"
const LAST_RW = 4;
const ADJACENT = 8;
const SAW_WR = 16;
const SAW_VARIANT = 32;
const STATES = 64;

/** The state after taking one step with relation `rel`, or -1 if the spec forbids it. */
function step(spec: CycleSpec, state: number, rel: number): number {
  if (rel === Rel.rw) {
    const count = state & RW_COUNT;
    const lastRw = (state & LAST_RW) !== 0;
    switch (spec.rwMode) {
      case 'none':
        return -1;
      case 'single':
        return count === 0 ? (state & ~RW_COUNT) | 1 | LAST_RW : -1;
      case 'nonadjacent':
        if (lastRw) return -1;
        return (state & ~RW_COUNT) | Math.min(2, count + 1) | LAST_RW;
      case 'adjacent':
        return (state & ~RW_COUNT) | Math.min(2, count + 1) | LAST_RW | (lastRw ? ADJACENT : 0);
    }
  }
  if ((rel & spec.legal) === 0) return -1;
  let next = state & ~LAST_RW;
  if (rel === Rel.wr) next |= SAW_WR;
  if (rel === spec.variant) next |= SAW_VARIANT;
  return next;
}

function accepting(spec: CycleSpec, state: number): boolean {
  if (spec.requireWr && (state & SAW_WR) === 0) return false;
  if (spec.variant !== 0 && (state & SAW_VARIANT) === 0) return false;
  const count = state & RW_COUNT;
  switch (spec.rwMode) {
    case 'none':
      return true;
    case 'single':
      return count === 1;
    case 'nonadjacent':
      // The first step is rw, so the last must not be.
      return count === 2 && (state & LAST_RW) === 0;
    case 'adjacent':
      // A final rw step sits next to the first (rw) step around the cycle.
      return count === 2 && ((state & ADJACENT) !== 0 || (state & LAST_RW) !== 0);
  }
}

/** Relations a spec's cycles may use at all. */
function usableRels(spec: CycleSpec): number {
  return spec.legal | (spec.rwMode === 'none' ? 0 : Rel.rw);
}

/** Above these sizes the exact anchor filter would cost too much memory; fall back to trying every anchor. */
const MAX_PRODUCT_VERTICES = 4_000_000;
const MAX_REACH_WORDS = 16_000_000;

/**
 * For each anchor edge a -> b, whether some walk from b can return to a in an accepting
 * state: the walk need not be simple, so this is a necessary condition, and it rules out
 * almost every anchor that would otherwise cost a full breadth-first search.
 *
 * It runs over the product graph (transaction, automaton state): condense it to strongly
 * connected components, then, in reverse topological order, collect per component the set
 * of anchor sources a such that some (a, accepting) is reachable. Null when too big.
 */
function anchorFilter(
  graph: DependencyGraph,
  spec: CycleSpec,
  component: Int32Array,
  firstState: number,
  budget: SearchBudget,
): ((a: number, b: number) => boolean) | null {
  const n = graph.vertexCount;
  const { offsets, targets, rels } = graph;
  const usable = usableRels(spec);
  // Automaton states reachable after the anchor step.
  const stateIndex = new Int8Array(STATES).fill(-1);
  const states: number[] = [firstState];
  stateIndex[firstState] = 0;
  for (let i = 0; i < states.length; i++) {
    for (let bits = usable; bits !== 0; bits &= bits - 1) {
      const s2 = step(spec, states[i]!, bits & -bits);
      if (s2 >= 0 && stateIndex[s2] === -1) {
        stateIndex[s2] = states.length;
        states.push(s2);
      }
    }
  }
  const S = states.length;
  if (n * S > MAX_PRODUCT_VERTICES) return null;

  // Anchor sources get a bit each.
  const sourceBit = new Int32Array(n).fill(-1);
  let sources = 0;
  for (let a = 0; a < n; a++) {
    if (component[a]! < 0) continue;
    for (let slot = offsets[a]!; slot < offsets[a + 1]!; slot++) {
      if ((rels[slot]! & spec.anchor) !== 0 && component[targets[slot]!] === component[a]) {
        sourceBit[a] = sources++;
        break;
      }
    }
  }
  if (sources === 0) return () => false;

  const product = new DependencyGraphBuilder(n * S);
  for (let v = 0; v < n; v++) {
    const c = component[v]!;
    if (c < 0) continue;
    for (let slot = offsets[v]!; slot < offsets[v + 1]!; slot++) {
      const w = targets[slot]!;
      if (component[w] !== c) continue;
      const edgeRels = rels[slot]! & usable;
      budget.tick();
      for (let si = 0; si < S; si++) {
        for (let bits = edgeRels; bits !== 0; bits &= bits - 1) {
          const s2 = step(spec, states[si]!, bits & -bits);
          if (s2 >= 0) product.link(v * S + si, w * S + stateIndex[s2]!, 1);
        }
      }
    }
  }
  const p = product.build();
  const { component: pc, count } = componentIds(p, 1);
  const words = (sources + 31) >>> 5;
  if (count * words > MAX_REACH_WORDS) return null;
  const reach = new Uint32Array(count * words);
  // Visit product vertices by ascending component: every edge leaving a component points to
  // a lower-numbered one, already complete.
  const byComponent = Array.from({ length: p.vertexCount }, (_, i) => i).sort((x, y) => pc[x]! - pc[y]!);
  for (const x of byComponent) {
    budget.tick();
    const c = pc[x]!;
    const v = Math.floor(x / S);
    const bit = sourceBit[v]!;
    if (bit >= 0 && accepting(spec, states[x % S]!)) reach[c * words + (bit >>> 5)]! |= 1 << (bit & 31);
    for (let slot = p.offsets[x]!; slot < p.offsets[x + 1]!; slot++) {
      const d = pc[p.targets[slot]!]!;
      if (d === c) continue;
      for (let i = 0; i < words; i++) reach[c * words + i]! |= reach[d * words + i]!;
    }
  }
  return (a, b) => {
    const bit = sourceBit[a]!;
    if (bit < 0) return false;
    const c = pc[b * S]!; // state index 0 is firstState
    return (reach[c * words + (bit >>> 5)]! & (1 << (bit & 31))) !== 0;
  };
}

/**
 * Finds the shortest cycle matching `spec` through the first anchor source (in vertex
 * order) that has one, or null.
 * Each edge should carry the single relation that explains it (see cycle-analysis.ts);
 * with several, any of them may be used. Throws SearchTimeout when the budget runs out.
 */
export function searchCycle(graph: DependencyGraph, spec: CycleSpec, budget: SearchBudget): FoundCycle | null {
  const n = graph.vertexCount;
  const { offsets, targets, rels } = graph;
  const usable = usableRels(spec);

  // A matching cycle lies inside one SCC of the subgraph of usable relations; this also
  // rules out specs whose required relation (say realtime) has no edge inside a cycle.
  const component = new Int32Array(n).fill(-1);
  stronglyConnectedComponents(graph, usable).forEach((scc, c) => {
    for (const v of scc) component[v] = c;
  });
  const firstState = step(spec, 0, spec.anchor);
  const mayClose = anchorFilter(graph, spec, component, firstState, budget) ?? (() => true);

  const visited = new Uint8Array(n * STATES);
  let queueVertex = new Int32Array(1024);
  let queueState = new Uint8Array(1024);
  let queueParent = new Int32Array(1024);
  let queueRel = new Uint8Array(1024);
  const ensureQueue = (size: number) => {
    if (size <= queueVertex.length) return;
    const grown = queueVertex.length * 2;
    const v = new Int32Array(grown);
    v.set(queueVertex);
    queueVertex = v;
    const s = new Uint8Array(grown);
    s.set(queueState);
    queueState = s;
    const p = new Int32Array(grown);
    p.set(queueParent);
    queueParent = p;
    const r = new Uint8Array(grown);
    r.set(queueRel);
    queueRel = r;
  };

  let fallback: FoundCycle | null = null;

  for (let a = 0; a < n; a++) {
    const c = component[a]!;
    if (c < 0) continue;
    // Breadth-first from every anchor a -> b at once: the shortest cycle through a.
    let head = 0;
    let tail = 0;
    for (let slot = offsets[a]!; slot < offsets[a + 1]!; slot++) {
      const b = targets[slot]!;
      if ((rels[slot]! & spec.anchor) === 0 || component[b] !== c || !mayClose(a, b)) continue;
      if (visited[b * STATES + firstState] === 1) continue;
      ensureQueue(tail + 1);
      queueVertex[tail] = b;
      queueState[tail] = firstState;
      queueParent[tail] = -1;
      queueRel[tail] = spec.anchor;
      visited[b * STATES + firstState] = 1;
      tail++;
    }
    if (tail === 0) continue;
    budget.tick();
    let closing = -1;
    let closingRel = 0;
    search: while (head < tail) {
      const v = queueVertex[head]!;
      const s = queueState[head]!;
      for (let out = offsets[v]!; out < offsets[v + 1]!; out++) {
        const w = targets[out]!;
        if (component[w] !== c) continue;
        let edgeRels = rels[out]! & usable;
        while (edgeRels !== 0) {
          const rel = edgeRels & -edgeRels;
          edgeRels &= edgeRels - 1;
          const s2 = step(spec, s, rel);
          if (s2 < 0) continue;
          if (w === a) {
            if (accepting(spec, s2)) {
              closing = head;
              closingRel = rel;
              break search;
            }
            continue; // never pass through the anchor: keeps cycles simple there
          }
          const key = w * STATES + s2;
          if (visited[key] === 1) continue;
          visited[key] = 1;
          ensureQueue(tail + 1);
          queueVertex[tail] = w;
          queueState[tail] = s2;
          queueParent[tail] = head;
          queueRel[tail] = rel;
          tail++;
        }
      }
      head++;
      budget.tick();
    }
    for (let i = 0; i < tail; i++) visited[queueVertex[i]! * STATES + queueState[i]!] = 0;
    if (closing < 0) continue;

    const pathVertices: number[] = [];
    const pathRels: number[] = [closingRel];
    for (let i = closing; i >= 0; i = queueParent[i]!) {
      pathVertices.push(queueVertex[i]!);
      pathRels.push(queueRel[i]!);
    }
    pathVertices.push(a);
    pathVertices.reverse();
    pathVertices.push(a);
    pathRels.reverse();
    const simple = new Set(pathVertices).size === pathVertices.length - 1;
    const found = { vertices: pathVertices, rels: pathRels, simple };
    if (simple) return found;
    fallback ??= found;
  }
  return fallback;
}

/**
 * Some cycle in a strongly connected graph, using any relations: the shortest way back to
 * the first vertex. Used when the typed search ran out of budget, so the report still shows
 * one concrete cycle from the component (Elle's fallback cycle).
 */
export function anyCycle(graph: DependencyGraph): FoundCycle {
  const n = graph.vertexCount;
  const parent = new Int32Array(n).fill(-2);
  const parentRel = new Uint8Array(n);
  const queue = new Int32Array(n);
  const start = 0;
  let head = 0;
  let tail = 0;
  queue[tail++] = start;
  parent[start] = -1;
  while (head < tail) {
    const v = queue[head++]!;
    for (let slot = graph.offsets[v]!; slot < graph.offsets[v + 1]!; slot++) {
      const w = graph.targets[slot]!;
      const rel = lowestDataFirst(graph.rels[slot]!);
      if (w === start) {
        const vertices = [start];
        const rels = [rel];
        for (let x = v; x !== start; x = parent[x]!) {
          vertices.push(x);
          rels.push(parentRel[x]!);
        }
        vertices.push(start);
        vertices.reverse();
        rels.reverse();
        return { vertices, rels, simple: true };
      }
      if (parent[w] === -2) {
        parent[w] = v;
        parentRel[w] = rel;
        queue[tail++] = w;
      }
    }
  }
  throw new Error('anyCycle: the graph is not strongly connected');
}

/** Picks one relation of an edge to explain it by, preferring data dependencies. */
function lowestDataFirst(rels: number): number {
  return rels & -rels;
}
