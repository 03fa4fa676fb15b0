import { UsageError } from '../../common/errors.js';

/**
 * Jepsen's vocabulary for network partitions (jepsen.nemesis): a *grudge* maps each node to
 * the nodes whose packets it drops. Partitions are built from components (groups that can
 * talk among themselves) or, for the majorities ring, directly.
 */
export type Grudge = ReadonlyMap<number, readonly number[]>;

/** The partition shapes `--nemesis partition` can draw from (Jepsen's names in brackets). */
export const partitionShapes = ['random-halves', 'isolate-one', 'isolate-leader', 'majorities-ring', 'bridge'] as const;
export type PartitionShape = (typeof partitionShapes)[number];

export function parsePartitionShape(value: string): PartitionShape {
  if ((partitionShapes as readonly string[]).includes(value)) return value as PartitionShape;
  throw new UsageError('KZ_NEMESIS_PARTITION_SHAPE', `unknown partition shape '${value}'; choose from ${partitionShapes.join(', ')}`);
}

/** Fisher-Yates with the caller's random source, so a seeded run partitions the same way. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** [first ⌊n/2⌋, the rest]: the first half is the minority (Jepsen's `bisect`). */
export function bisect<T>(items: readonly T[]): [T[], T[]] {
  const half = Math.floor(items.length / 2);
  return [items.slice(0, half), items.slice(half)];
}

/** Every node drops packets from every node outside its own component (`complete-grudge`). */
export function completeGrudge(components: readonly (readonly number[])[]): Grudge {
  const all = components.flat();
  const grudge = new Map<number, number[]>();
  for (const component of components) {
    const inside = new Set(component);
    for (const node of component) grudge.set(node, all.filter((other) => !inside.has(other)));
  }
  return grudge;
}

/** A random minority (⌊n/2⌋ nodes) cut off from the rest (`partition-random-halves`). */
export function randomHalves(nodes: readonly number[], random: () => number): Grudge {
  return completeGrudge(bisect(shuffled(nodes, random)));
}

/** One node cut off from all others (`partition-random-node`, or the leader when chosen so). */
export function isolateNode(nodes: readonly number[], isolated: number): Grudge {
  if (!nodes.includes(isolated)) throw new UsageError('KZ_NODE_UNKNOWN', `cannot isolate node ${isolated}: not one of ${nodes.join(', ')}`);
  return completeGrudge([[isolated], nodes.filter((n) => n !== isolated)]);
}

/**
 * Every node sees a majority (itself included), but no two nodes see the same majority
 * (`partition-majorities-ring`): nodes sit on a shuffled ring and each hears only from the
 * nodes of a majority-sized window centred on itself. With 5 nodes each hears its two ring
 * neighbours and nothing else. With 3 nodes every node hears one other, and since one dropped
 * direction kills a TCP connection, all links break: use it with 5 or more nodes.
 */
export function majoritiesRing(nodes: readonly number[], random: () => number): Grudge {
  const ring = shuffled(nodes, random);
  const n = ring.length;
  const majority = Math.floor(n / 2) + 1;
  const grudge = new Map<number, number[]>();
  ring.forEach((node, i) => {
    const visible = new Set<number>();
    // A window centred on the node (as far as the majority size allows).
    const before = Math.floor((majority - 1) / 2);
    for (let k = 0; k < majority; k++) visible.add(ring[(i - before + k + n) % n]!);
    grudge.set(node, ring.filter((other) => !visible.has(other)));
  });
  return grudge;
}

/**
 * Two halves that cannot talk to each other, and one node that talks to both (Jepsen's
 * `bridge`): each side alone is a minority, the bridge node belongs to both majorities.
 */
export function bridge(nodes: readonly number[], random: () => number): Grudge {
  const order = shuffled(nodes, random);
  if (order.length < 3) return completeGrudge([order]);
  const [left, rest] = bisect(order);
  const middle = rest[0]!;
  const right = rest.slice(1);
  const grudge = new Map<number, number[]>();
  for (const node of left) grudge.set(node, [...right]);
  for (const node of right) grudge.set(node, [...left]);
  grudge.set(middle, []);
  return grudge;
}

/** The components a grudge leaves, for the history and report labels: `[1] [2 3]`. */
export function describeGrudge(grudge: Grudge): string {
  const parts: string[] = [];
  for (const [node, dropped] of [...grudge].sort((a, b) => a[0] - b[0])) {
    if (dropped.length > 0) parts.push(`${node}✕${[...dropped].sort((a, b) => a - b).join(',')}`);
  }
  return parts.length === 0 ? 'no partition' : parts.join(' ');
}

/** Nodes that drop at least one peer. */
export function grudgeNodes(grudge: Grudge): number[] {
  return [...grudge].filter(([, dropped]) => dropped.length > 0).map(([node]) => node).sort((a, b) => a - b);
}

/**
 * The nodes cut off from the most peers: the isolated node, the minority of two halves (all
 * nodes for a ring). What a report band should name.
 */
export function mostIsolatedNodes(grudge: Grudge): number[] {
  const most = Math.max(0, ...[...grudge.values()].map((d) => d.length));
  if (most === 0) return [];
  return [...grudge].filter(([, dropped]) => dropped.length === most).map(([node]) => node).sort((a, b) => a - b);
}

/** JSON-friendly form for the history: `{"1": [2, 3], ...}`. */
export function grudgeToJson(grudge: Grudge): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [node, dropped] of [...grudge].sort((a, b) => a[0] - b[0])) out[String(node)] = [...dropped].sort((a, b) => a - b);
  return out;
}
