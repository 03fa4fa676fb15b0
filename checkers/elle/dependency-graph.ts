/**
 * The transaction dependency graph: vertices are transactions numbered 0..n-1, each edge
 * carries a set of relation bits (see rels.ts).
 *
 * Built in two phases so million-transaction histories stay within memory: edges are
 * appended to growable typed arrays (duplicates allowed), then `build()` turns them into a
 * compressed sparse row layout with duplicate edges merged by OR-ing their relations.
 */
export class DependencyGraphBuilder {
  private from: Int32Array;
  private to: Int32Array;
  private rels: Uint8Array;
  private count = 0;

  /**
   * `expectedEdges` sizes the staging arrays up front: on a big history every regrowth is a
   * large allocation that makes the garbage collector trace the whole history again.
   */
  constructor(
    readonly vertexCount: number,
    expectedEdges = 1024,
  ) {
    const size = Math.max(16, Math.ceil(expectedEdges));
    this.from = new Int32Array(size);
    this.to = new Int32Array(size);
    this.rels = new Uint8Array(size);
  }

  get edgeCount(): number {
    return this.count;
  }

  /** Adds a -> b with relation bits `rel`; self-edges are dropped (a transaction never depends on itself). */
  link(a: number, b: number, rel: number): void {
    if (a === b) return;
    if (this.count === this.from.length) this.grow();
    this.from[this.count] = a;
    this.to[this.count] = b;
    this.rels[this.count] = rel;
    this.count++;
  }

  build(): DependencyGraph {
    const n = this.vertexCount;
    const offsets = new Int32Array(n + 1);
    for (let i = 0; i < this.count; i++) offsets[this.from[i]! + 1]!++;
    for (let v = 0; v < n; v++) offsets[v + 1]! += offsets[v]!;
    const cursor = offsets.slice(0, n);
    const targets = new Int32Array(this.count);
    const edgeRels = new Uint8Array(this.count);
    for (let i = 0; i < this.count; i++) {
      const slot = cursor[this.from[i]!]!++;
      targets[slot] = this.to[i]!;
      edgeRels[slot] = this.rels[i]!;
    }
    // Merge duplicate targets per vertex; `lastSlot[t]` remembers where t was written for
    // the vertex being compacted (valid while `owner[t]` names that vertex).
    const owner = new Int32Array(n).fill(-1);
    const lastSlot = new Int32Array(n);
    const compactOffsets = new Int32Array(n + 1);
    let write = 0;
    for (let v = 0; v < n; v++) {
      compactOffsets[v] = write;
      for (let slot = offsets[v]!; slot < offsets[v + 1]!; slot++) {
        const t = targets[slot]!;
        if (owner[t] === v) {
          edgeRels[lastSlot[t]!]! |= edgeRels[slot]!;
        } else {
          owner[t] = v;
          lastSlot[t] = write;
          targets[write] = t;
          edgeRels[write] = edgeRels[slot]!;
          write++;
        }
      }
    }
    compactOffsets[n] = write;
    // Free the staging arrays early; big histories need the room.
    this.from = new Int32Array(0);
    this.to = new Int32Array(0);
    this.rels = new Uint8Array(0);
    return new DependencyGraph(n, compactOffsets, targets.slice(0, write), edgeRels.slice(0, write));
  }

  private grow(): void {
    const size = this.from.length * 2;
    const from = new Int32Array(size);
    from.set(this.from);
    const to = new Int32Array(size);
    to.set(this.to);
    const rels = new Uint8Array(size);
    rels.set(this.rels);
    this.from = from;
    this.to = to;
    this.rels = rels;
  }
}

export class DependencyGraph {
  constructor(
    readonly vertexCount: number,
    /** out-edges of v are slots offsets[v] .. offsets[v+1]-1 */
    readonly offsets: Int32Array,
    readonly targets: Int32Array,
    readonly rels: Uint8Array,
  ) {}

  get edgeCount(): number {
    return this.targets.length;
  }

  /** Relation bits on a -> b, or 0 when there is no edge. */
  relsBetween(a: number, b: number): number {
    for (let slot = this.offsets[a]!; slot < this.offsets[a + 1]!; slot++) {
      if (this.targets[slot] === b) return this.rels[slot]!;
    }
    return 0;
  }
}
