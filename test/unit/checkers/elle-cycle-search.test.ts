import { describe, expect, it } from 'vitest';
import { checkElle } from '../../../checkers/elle/elle-checker.js';
import type { ElleDetails } from '../../../checkers/elle/elle-run.js';
import { searchCycle } from '../../../checkers/elle/cycle-search.js';
import { classifyCycle, cycleSpecs } from '../../../checkers/elle/cycle-specs.js';
import { DependencyGraphBuilder } from '../../../checkers/elle/dependency-graph.js';
import { Rel } from '../../../checkers/elle/rels.js';
import { SearchBudget } from '../../../checkers/elle/search-budget.js';
import { stronglyConnectedComponents } from '../../../checkers/elle/strongly-connected.js';
import type { Op } from '../../../checkers/history/op.js';

const spec = (type: string) => cycleSpecs.find((s) => s.type === type)!;
const budget = () => SearchBudget.forMs(60_000);

function graph(n: number, edges: [number, number, number][]) {
  const b = new DependencyGraphBuilder(n);
  for (const [x, y, r] of edges) b.link(x, y, r);
  return b.build();
}

describe('elle cycle search', () => {
  it('finds strongly connected components, merging duplicate edges', () => {
    const g = graph(5, [[0, 1, Rel.ww], [1, 0, Rel.wr], [1, 0, Rel.rw], [2, 3, Rel.ww], [3, 4, Rel.ww], [4, 2, Rel.ww]]);
    expect(g.relsBetween(1, 0)).toBe(Rel.wr | Rel.rw);
    expect(stronglyConnectedComponents(g, 0xff).map((c) => [...c])).toEqual([[0, 1], [2, 3, 4]].sort((a, b) => b[0]! - a[0]!).sort());
    expect(stronglyConnectedComponents(g, Rel.wr)).toEqual([]);
  });

  it('matches each spec exactly: rw counts, adjacency, required relations', () => {
    // 0 -rw-> 1 -ww-> 0 is G-single; add 1 -rw-> 2 -rw-> 0 for a G2-item with adjacent rw.
    const g = graph(3, [[0, 1, Rel.rw], [1, 0, Rel.ww], [1, 2, Rel.rw], [2, 0, Rel.rw]]);
    const single = searchCycle(g, spec('G-single-item'), budget())!;
    expect(classifyCycle(single.rels)).toBe('G-single-item');
    expect(searchCycle(g, spec('G0'), budget())).toBeNull();
    expect(searchCycle(g, spec('G-nonadjacent-item'), budget())).toBeNull();
    expect(classifyCycle(searchCycle(g, spec('G2-item'), budget())!.rels)).toBe('G2-item');
    expect(searchCycle(g, spec('G-single-item-realtime'), budget())).toBeNull();
  });

  it('needs the variant relation for -realtime and -process specs', () => {
    const g = graph(3, [[0, 1, Rel.wr], [1, 2, Rel.realtime], [2, 0, Rel.ww]]);
    expect(searchCycle(g, spec('G1c'), budget())).toBeNull();
    const found = searchCycle(g, spec('G1c-realtime'), budget())!;
    expect(found.vertices).toEqual([0, 1, 2, 0]);
    expect(classifyCycle(found.rels)).toBe('G1c-realtime');
    expect(searchCycle(g, spec('G1c-process'), budget())).toBeNull();
  });

  it('finds the shortest cycle from the first anchor', () => {
    // Two ww cycles through 0: 0-1-2-3-0 and 0-4-0.
    const g = graph(5, [[0, 1, Rel.ww], [1, 2, Rel.ww], [2, 3, Rel.ww], [3, 0, Rel.ww], [0, 4, Rel.ww], [4, 0, Rel.ww]]);
    expect(searchCycle(g, spec('G0'), budget())!.vertices).toEqual([0, 4, 0]);
  });

  it('finds a G-single hidden among many G2-item cycles (where Elle times out)', () => {
    // Elle's unfindable-g-single test, scaled: a ww ring whose last link fails to read the
    // first's append (one rw: G-single), and noise chains hanging off it closing G2-item
    // cycles through two rw edges each.
    const n = 300;
    const noise = 10;
    const txns: unknown[][][] = [];
    for (let i = 0; i < n; i++) {
      txns.push([['append', 'ring', i], i === 0 ? ['append', 'anti', 'first'] : i === n - 1 ? ['r', 'anti', null] : ['append', `k${i}`, 0]]);
    }
    txns.push([['r', 'ring', Array.from({ length: n }, (_, i) => i)]]);
    for (let i = 1; i < n - 1; i++) {
      for (let j = 1; j < noise; j++) {
        if (j === noise - 2) txns.push([['r', `k${i}`, Array.from({ length: noise - 2 }, (_, x) => x)], ['r', `anti${i}`, null]]);
        else if (j === noise - 1) txns.push([['append', `anti${i}`, 0], ['r', 'ring', null]]);
        else txns.push([['append', `k${i}`, j]]);
      }
    }
    const ops: Op[] = [];
    txns.forEach((value, p) => {
      ops.push({ index: ops.length, process: p, type: 'invoke', f: 'txn', value: value.map((m) => (m[0] === 'r' ? ['r', m[1], null] : m)) });
      ops.push({ index: ops.length, process: p, type: 'ok', f: 'txn', value });
    });
    // All invoked before any completes: no realtime order, pure data dependencies.
    const concurrent = [...ops.filter((o) => o.type === 'invoke'), ...ops.filter((o) => o.type === 'ok')].map((o, index) => ({ ...o, index }));
    const r = checkElle(concurrent, 'list-append', { consistencyModels: ['snapshot-isolation'], cycleSearchTimeoutMs: 120_000 });
    expect(r.valid).toBe(false);
    expect(r.anomalyTypes).toEqual(['G-single-item']);
    expect((r.details as ElleDetails).cycles[0]!.steps).toHaveLength(n);
  });

  it('gives up within its budget and says so', () => {
    const g = graph(3, [[0, 1, Rel.rw], [1, 0, Rel.ww]]);
    const expired = SearchBudget.forMs(0.000001);
    expect(() => {
      for (let i = 0; i < 10_000; i++) expired.tick();
    }).toThrow(/budget exhausted/);
    expect(searchCycle(g, spec('G-single-item'), budget())).not.toBeNull();
  });
});
