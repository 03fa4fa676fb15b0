/**
 * A small directed graph over names, used for the two relations Elle reasons with: "model a
 * implies model b" and "anomaly a implies anomaly b". Both are tiny (tens of vertices), so
 * plain maps of sets are enough; what matters is reachability in either direction.
 */
export class NameDag {
  private readonly outs = new Map<string, Set<string>>();
  private readonly ins = new Map<string, Set<string>>();

  /** Builds a graph from `{a: [b, c]}` meaning a -> b and a -> c. */
  static from(adjacency: Record<string, readonly string[]>, rename: (name: string) => string = (n) => n): NameDag {
    const dag = new NameDag();
    for (const [from, tos] of Object.entries(adjacency)) {
      dag.addVertex(rename(from));
      for (const to of tos) dag.link(rename(from), rename(to));
    }
    return dag;
  }

  addVertex(v: string): void {
    if (!this.outs.has(v)) this.outs.set(v, new Set());
    if (!this.ins.has(v)) this.ins.set(v, new Set());
  }

  link(from: string, to: string): void {
    this.addVertex(from);
    this.addVertex(to);
    this.outs.get(from)!.add(to);
    this.ins.get(to)!.add(from);
  }

  vertices(): string[] {
    return [...this.outs.keys()];
  }

  out(v: string): ReadonlySet<string> {
    return this.outs.get(v) ?? new Set();
  }

  in(v: string): ReadonlySet<string> {
    return this.ins.get(v) ?? new Set();
  }

  /** Every vertex reachable from `starts` (starts included) following out-edges. */
  downstream(starts: Iterable<string>): Set<string> {
    return this.reach(starts, (v) => this.out(v));
  }

  /** Every vertex that reaches some element of `starts` (starts included). */
  upstream(starts: Iterable<string>): Set<string> {
    return this.reach(starts, (v) => this.in(v));
  }

  /** Union of two graphs' edges. */
  merge(other: NameDag): NameDag {
    const merged = new NameDag();
    for (const g of [this, other]) {
      for (const v of g.vertices()) {
        merged.addVertex(v);
        for (const w of g.out(v)) merged.link(v, w);
      }
    }
    return merged;
  }

  /** Depth of each vertex: 0 for vertices with no in-edges, then one more per layer peeled. */
  topoDepths(): Map<string, number> {
    const remainingIn = new Map<string, number>();
    for (const v of this.vertices()) remainingIn.set(v, this.in(v).size);
    const depths = new Map<string, number>();
    let layer = this.vertices().filter((v) => remainingIn.get(v) === 0);
    let depth = 0;
    while (layer.length > 0) {
      const next: string[] = [];
      for (const v of layer) {
        depths.set(v, depth);
        for (const w of this.out(v)) {
          const left = remainingIn.get(w)! - 1;
          remainingIn.set(w, left);
          if (left === 0) next.push(w);
        }
      }
      layer = next;
      depth++;
    }
    return depths;
  }

  private reach(starts: Iterable<string>, step: (v: string) => Iterable<string>): Set<string> {
    const seen = new Set<string>();
    const stack = [...starts];
    while (stack.length > 0) {
      const v = stack.pop()!;
      if (seen.has(v)) continue;
      seen.add(v);
      for (const w of step(v)) if (!seen.has(w)) stack.push(w);
    }
    return seen;
  }
}
