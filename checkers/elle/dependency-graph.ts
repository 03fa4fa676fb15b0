/**
 * The transaction dependency graph: vertices are transactions numbered 0..n-1, each edge
 * carries a set of relation bits (see rels.ts).
 *
 * Built in two phases so million-transaction histories stay within memory: edges are
 * appended to fixed-size typed-array chunks (duplicates allowed), then `build()` turns them
 * into a compressed sparse row layout with duplicate edges merged by OR-ing their relations.
 * Chunks, not one growing array: a regrowth copies everything and allocates twice what is
 * needed, and every large allocation makes the collector re-mark whatever else is live.
 */
export class DependencyGraphBuilder {
  private from: Int32Array[] = [];
  private to: Int32Array[] = [];
  private rels: Uint8Array[] = [];
  // The chunk being filled.
  private lastFrom = new Int32Array(0);
  private lastTo = new Int32Array(0);
  private lastRels = new Uint8Array(0);
  /** Edges in the last chunk. */
  private used = 0;
  private count = 0;

  /** `expectedEdges` sizes the first chunk, so small graphs stay small. */
  constructor(
    readonly vertexCount: number,
    private readonly expectedEdges = 1024,
  ) {}

  get edgeCount(): number {
    return this.count;
  }

  /** Adds a -> b with relation bits `rel`; self-edges are dropped (a transaction never depends on itself). */
  link(a: number, b: number, rel: number): void {
    if (a === b) return;
    if (this.used === this.lastFrom.length) this.addChunk();
    const i = this.used++;
    this.lastFrom[i] = a;
    this.lastTo[i] = b;
    this.lastRels[i] = rel;
    this.count++;
  }

  build(): DependencyGraph {
    const n = this.vertexCount;
    const offsets = new Int32Array(n + 1);
    const chunks = this.from.length;
    const lengthOf = (c: number) => (c === chunks - 1 ? this.used : this.from[c]!.length);
    for (let c = 0; c < chunks; c++) {
      const from = this.from[c]!;
      for (let i = 0, end = lengthOf(c); i < end; i++) offsets[from[i]! + 1]!++;
    }
    for (let v = 0; v < n; v++) offsets[v + 1]! += offsets[v]!;
    const cursor = offsets.slice(0, n);
    const targets = new Int32Array(this.count);
    const edgeRels = new Uint8Array(this.count);
    for (let c = 0; c < chunks; c++) {
      const from = this.from[c]!;
      const to = this.to[c]!;
      const rels = this.rels[c]!;
      for (let i = 0, end = lengthOf(c); i < end; i++) {
        const slot = cursor[from[i]!]!++;
        targets[slot] = to[i]!;
        edgeRels[slot] = rels[i]!;
      }
    }
    // Free the chunks early; big histories need the room.
    this.from = [];
    this.to = [];
    this.rels = [];
    this.lastFrom = new Int32Array(0);
    this.lastTo = new Int32Array(0);
    this.lastRels = new Uint8Array(0);
    this.used = 0;
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
    // Views, not copies: a copy would be one more large allocation.
    return new DependencyGraph(n, compactOffsets, targets.subarray(0, write), edgeRels.subarray(0, write));
  }

  private addChunk(): void {
    const size = this.from.length === 0 ? Math.min(CHUNK, Math.max(16, Math.ceil(this.expectedEdges))) : CHUNK;
    this.from.push((this.lastFrom = new Int32Array(size)));
    this.to.push((this.lastTo = new Int32Array(size)));
    this.rels.push((this.lastRels = new Uint8Array(size)));
    this.used = 0;
  }
}

/** Edges per chunk (9 MB of staging). */
const CHUNK = 1 << 20;

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
