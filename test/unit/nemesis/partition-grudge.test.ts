import { describe, expect, it } from 'vitest';
import {
  bisect,
  bridge,
  completeGrudge,
  describeGrudge,
  grudgeNodes,
  grudgeToJson,
  isolateNode,
  majoritiesRing,
  parsePartitionShape,
  randomHalves,
  shuffled,
  type Grudge,
} from '../../../workloads/nemesis/partition-grudge.js';
import { seededRandom } from '../../../workloads/runner/seeded-random.js';

/** Who can exchange packets with whom: both directions must pass for a TCP connection. */
function connected(grudge: Grudge, a: number, b: number): boolean {
  return !(grudge.get(a) ?? []).includes(b) && !(grudge.get(b) ?? []).includes(a);
}

describe('partition grudges (Jepsen vocabulary)', () => {
  it('bisect puts the smaller half first', () => {
    expect(bisect([1, 2, 3])).toEqual([[1], [2, 3]]);
    expect(bisect([1, 2, 3, 4, 5])).toEqual([[1, 2], [3, 4, 5]]);
  });

  it('complete grudge: each node drops exactly the nodes outside its component', () => {
    const g = completeGrudge([[1], [2, 3]]);
    expect(grudgeToJson(g)).toEqual({ '1': [2, 3], '2': [1], '3': [1] });
    expect(connected(g, 2, 3)).toBe(true);
    expect(connected(g, 1, 2)).toBe(false);
  });

  it('random halves leaves a minority of ⌊n/2⌋ and a majority, and repeats for a seed', () => {
    for (const n of [3, 5]) {
      const nodes = Array.from({ length: n }, (_, i) => i + 1);
      const g = randomHalves(nodes, seededRandom(7));
      const minority = nodes.filter((x) => (g.get(x) ?? []).length === n - Math.floor(n / 2));
      expect(minority).toHaveLength(Math.floor(n / 2));
      expect(grudgeToJson(randomHalves(nodes, seededRandom(7)))).toEqual(grudgeToJson(g));
    }
  });

  it('isolate one cuts a single node from every other', () => {
    const g = isolateNode([1, 2, 3], 2);
    expect(connected(g, 1, 3)).toBe(true);
    expect(connected(g, 1, 2)).toBe(false);
    expect(connected(g, 3, 2)).toBe(false);
    expect(() => isolateNode([1, 2, 3], 9)).toThrow(/not one of/);
  });

  it('majorities ring (5 nodes): every node hears a majority, no two the same one', () => {
    const nodes = [1, 2, 3, 4, 5];
    const g = majoritiesRing(nodes, seededRandom(3));
    const views = nodes.map((n) => nodes.filter((o) => o === n || !(g.get(n) ?? []).includes(o)).sort().join(','));
    for (const v of views) expect(v.split(',')).toHaveLength(3);
    expect(new Set(views).size).toBe(5);
    // Symmetric with 5 nodes: whoever n hears also hears n.
    for (const a of nodes) for (const b of nodes) expect((g.get(a) ?? []).includes(b)).toBe((g.get(b) ?? []).includes(a));
  });

  it('bridge: two sides that cannot talk, one node that talks to both', () => {
    const g = bridge([1, 2, 3, 4, 5], seededRandom(11));
    const middle = [...g].find(([, dropped]) => dropped.length === 0)![0];
    const others = [1, 2, 3, 4, 5].filter((n) => n !== middle);
    for (const o of others) expect(connected(g, middle, o)).toBe(true);
    const cut = others.filter((o) => (g.get(o) ?? []).length > 0);
    expect(cut).toHaveLength(4);
  });

  it('labels and node lists for the history', () => {
    const g = completeGrudge([[3], [1, 2]]);
    expect(describeGrudge(g)).toBe('1✕3 2✕3 3✕1,2');
    expect(grudgeNodes(g)).toEqual([1, 2, 3]);
    expect(describeGrudge(completeGrudge([[1, 2, 3]]))).toBe('no partition');
  });

  it('shuffle is a permutation and shape names are checked', () => {
    expect(shuffled([1, 2, 3, 4], seededRandom(1)).sort()).toEqual([1, 2, 3, 4]);
    expect(parsePartitionShape('isolate-leader')).toBe('isolate-leader');
    expect(() => parsePartitionShape('halves')).toThrow(/random-halves/);
  });
});

describe('report labels', () => {
  it('names the most isolated nodes: the isolated one, the minority, or everyone in a ring', async () => {
    const { mostIsolatedNodes } = await import('../../../workloads/nemesis/partition-grudge.js');
    expect(mostIsolatedNodes(isolateNode([1, 2, 3], 3))).toEqual([3]);
    expect(mostIsolatedNodes(completeGrudge([[1, 4], [2, 3, 5]]))).toEqual([1, 4]);
    expect(mostIsolatedNodes(majoritiesRing([1, 2, 3, 4, 5], seededRandom(1)))).toEqual([1, 2, 3, 4, 5]);
    expect(mostIsolatedNodes(completeGrudge([[1, 2]]))).toEqual([]);
  });
});
