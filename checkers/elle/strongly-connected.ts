import { DependencyGraph, DependencyGraphBuilder } from './dependency-graph.js';

export interface ComponentIds {
  /** Component of each vertex. Components are numbered in the order Tarjan completes them,
   * which is a reverse topological order: every edge between components goes from a higher
   * number to a lower one. */
  component: Int32Array;
  count: number;
  /** Vertices per component. */
  size: Int32Array;
}

/**
 * Tarjan's strongly connected components, iterative (histories of a million transactions
 * would overflow the call stack), over the edges whose relations intersect `relMask`.
 */
export function componentIds(graph: DependencyGraph, relMask: number): ComponentIds {
  const n = graph.vertexCount;
  const { offsets, targets, rels } = graph;
  const index = new Int32Array(n).fill(-1);
  const lowlink = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack = new Int32Array(n);
  let stackTop = 0;
  const callVertex = new Int32Array(n);
  const callSlot = new Int32Array(n);
  let nextIndex = 0;
  const component = new Int32Array(n);
  const sizes: number[] = [];

  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    let depth = 0;
    callVertex[0] = root;
    callSlot[0] = offsets[root]!;
    index[root] = lowlink[root] = nextIndex++;
    stack[stackTop++] = root;
    onStack[root] = 1;
    while (depth >= 0) {
      const v = callVertex[depth]!;
      let slot = callSlot[depth]!;
      const end = offsets[v + 1]!;
      let descended = false;
      while (slot < end) {
        const w = targets[slot]!;
        const r = rels[slot]!;
        slot++;
        if ((r & relMask) === 0) continue;
        if (index[w] === -1) {
          callSlot[depth] = slot;
          depth++;
          callVertex[depth] = w;
          callSlot[depth] = offsets[w]!;
          index[w] = lowlink[w] = nextIndex++;
          stack[stackTop++] = w;
          onStack[w] = 1;
          descended = true;
          break;
        } else if (onStack[w] === 1 && index[w]! < lowlink[v]!) {
          lowlink[v] = index[w]!;
        }
      }
      if (descended) continue;
      if (lowlink[v] === index[v]) {
        const c = sizes.length;
        let size = 0;
        let w: number;
        do {
          w = stack[--stackTop]!;
          onStack[w] = 0;
          component[w] = c;
          size++;
        } while (w !== v);
        sizes.push(size);
      }
      depth--;
      if (depth >= 0) {
        const parent = callVertex[depth]!;
        if (lowlink[v]! < lowlink[parent]!) lowlink[parent] = lowlink[v]!;
      }
    }
  }
  return { component, count: sizes.length, size: Int32Array.from(sizes) };
}

/**
 * The nontrivial strongly connected components (two or more vertices: our graphs have no
 * self-edges) over edges intersecting `relMask`, each sorted ascending.
 */
export function stronglyConnectedComponents(graph: DependencyGraph, relMask: number): Int32Array[] {
  const { component, count, size } = componentIds(graph, relMask);
  // Most components of a healthy history are single transactions: allocate only for the rest.
  const members = new Array<Int32Array | undefined>(count);
  const fill = new Int32Array(count);
  for (let v = 0; v < graph.vertexCount; v++) {
    const c = component[v]!;
    if (size[c]! < 2) continue;
    const m = (members[c] ??= new Int32Array(size[c]!));
    m[fill[c]!++] = v;
  }
  return members.filter((m): m is Int32Array => m !== undefined);
}

/**
 * The subgraph induced by `vertices` (sorted global ids), renumbered 0..k-1 in that order.
 * `relMask` keeps only edges carrying those relations (and trims their bits to the mask).
 */
export function inducedSubgraph(graph: DependencyGraph, vertices: Int32Array, relMask = 0xff): DependencyGraph {
  const local = new Map<number, number>();
  vertices.forEach((v, i) => local.set(v, i));
  const builder = new DependencyGraphBuilder(vertices.length);
  for (let i = 0; i < vertices.length; i++) {
    const v = vertices[i]!;
    for (let slot = graph.offsets[v]!; slot < graph.offsets[v + 1]!; slot++) {
      const r = graph.rels[slot]! & relMask;
      if (r === 0) continue;
      const j = local.get(graph.targets[slot]!);
      if (j !== undefined) builder.link(i, j, r);
    }
  }
  return builder.build();
}
