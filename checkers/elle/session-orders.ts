import { DependencyGraphBuilder } from './dependency-graph.js';
import { Rel } from './rels.js';
import { Txn } from './transactions.js';

/**
 * Realtime order: T1 -> T2 when T1 completed ok before T2 was invoked. Linking every such
 * pair is quadratic, but a cycle search only needs a transitive reduction, which Elle builds
 * in O(n·p): keep a buffer of completed transactions not yet implied by a later one; each
 * invocation links from everything in the buffer; each ok completion removes from the buffer
 * the transactions that were linked to it (they are now implied through it) and joins it.
 * Only ok transactions precede anything: an info one may never have happened.
 */
export function addRealtimeEdges(builder: DependencyGraphBuilder, txns: readonly Txn[]): void {
  const invoked = new Float64Array(builder.vertexCount).fill(-1);
  const okCompleted = new Float64Array(builder.vertexCount).fill(-1);
  let last = 0;
  for (const t of txns) {
    invoked[t.vertex] = t.invoke.index;
    last = Math.max(last, t.invoke.index, t.completion?.index ?? 0);
    if (t.outcome === 'ok' && t.completion) okCompleted[t.vertex] = t.completion.index;
  }
  addRealtimeEdgesByIndex(builder, invoked, okCompleted, last);
}

/**
 * The same from columns: each vertex's invocation index (-1 for none), and its completion
 * index when it completed ok (else -1); `last` is the largest history index of the transactions.
 */
export function addRealtimeEdgesByIndex(builder: DependencyGraphBuilder, invoked: ArrayLike<number>, okCompleted: ArrayLike<number>, last: number): void {
  // History positions are dense, so one slot per op orders the events without sorting:
  // v + 1 marks v's invocation, -(v + 1) its ok completion.
  const maxPos = last;
  const events = new Int32Array(maxPos + 1);
  for (let v = 0; v < invoked.length; v++) {
    if (invoked[v]! >= 0) events[invoked[v]!] = v + 1;
    if (okCompleted[v]! >= 0) events[okCompleted[v]!] = -(v + 1);
  }
  // The buffer: a set kept in insertion order (as a Set iterates) as a doubly linked list
  // over typed arrays, so a million-vertex history makes no garbage here.
  const n = builder.vertexCount;
  const next = new Int32Array(n);
  const prev = new Int32Array(n);
  const member = new Uint8Array(n);
  let head = -1;
  let tail = -1;
  let size = 0;
  // What the buffer held when v was invoked, all linked to v: pool[predStart[v] .. + predCount[v]].
  const predStart = new Int32Array(n);
  const predCount = new Int32Array(n);
  let pool = new Int32Array(1024);
  let poolSize = 0;
  for (let pos = 0; pos <= maxPos; pos++) {
    const e = events[pos]!;
    if (e > 0) {
      const v = e - 1;
      if (size === 0) continue;
      if (poolSize + size > pool.length) {
        const grown = new Int32Array(Math.max(pool.length * 2, poolSize + size));
        grown.set(pool);
        pool = grown;
      }
      predStart[v] = poolSize;
      predCount[v] = size;
      for (let u = head; u >= 0; u = next[u]!) {
        builder.link(u, v, Rel.realtime);
        pool[poolSize++] = u;
      }
    } else if (e < 0) {
      const v = -e - 1;
      for (let i = predStart[v]!, end = i + predCount[v]!; i < end; i++) {
        const u = pool[i]!;
        if (member[u] === 0) continue;
        member[u] = 0;
        size--;
        const p = prev[u]!;
        const q = next[u]!;
        if (p >= 0) next[p] = q;
        else head = q;
        if (q >= 0) prev[q] = p;
        else tail = p;
      }
      if (member[v] === 0) {
        member[v] = 1;
        size++;
        prev[v] = tail;
        next[v] = -1;
        if (tail >= 0) next[tail] = v;
        else head = v;
        tail = v;
      }
    }
  }
}

/**
 * Process order: each process's ok transactions in the order it ran them. Processes are
 * single-threaded, so this is a chain per process; an info ends a process in Jepsen.
 */
export function addProcessEdges(builder: DependencyGraphBuilder, txns: readonly Txn[]): void {
  const last = new Map<unknown, number>();
  const oks = txns.filter((t) => t.outcome === 'ok').sort((a, b) => a.invoke.index - b.invoke.index);
  for (const t of oks) {
    const previous = last.get(t.process);
    if (previous !== undefined) builder.link(previous, t.vertex, Rel.process);
    last.set(t.process, t.vertex);
  }
}
