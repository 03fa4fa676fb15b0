/**
 * A set of partitions keyed by topic id, as KIP-848 assignments are (Apache's
 * `Map<Uuid, Set<Integer>>`). Immutable by convention: helpers return new maps.
 */
export type Assignment = ReadonlyMap<string, ReadonlySet<number>>;

export const EMPTY_ASSIGNMENT: Assignment = new Map();

export function assignmentOf(entries: Iterable<{ topicId: string; partitions: Iterable<number> }>): Assignment {
  const out = new Map<string, Set<number>>();
  for (const e of entries) {
    let set = out.get(e.topicId);
    for (const p of e.partitions) {
      if (!set) out.set(e.topicId, (set = new Set()));
      set.add(p);
    }
  }
  return out;
}

/** Wire form: topics sorted by id, partitions ascending, so equal assignments encode equally. */
export function assignmentToList(a: Assignment): Array<{ topicId: string; partitions: number[] }> {
  return [...a.entries()]
    .filter(([, ps]) => ps.size > 0)
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([topicId, ps]) => ({ topicId, partitions: [...ps].sort((x, y) => x - y) }));
}

export function assignmentSize(a: Assignment): number {
  let n = 0;
  for (const ps of a.values()) n += ps.size;
  return n;
}

export function assignmentsEqual(a: Assignment, b: Assignment): boolean {
  if (assignmentSize(a) !== assignmentSize(b)) return false;
  for (const [t, ps] of a) for (const p of ps) if (!b.get(t)?.has(p)) return false;
  return true;
}

export function assignmentHas(a: Assignment, topicId: string, partition: number): boolean {
  return a.get(topicId)?.has(partition) ?? false;
}

/** Whether every partition of `sub` is in `of`. */
export function isSubset(sub: Assignment, of: Assignment): boolean {
  for (const [t, ps] of sub) for (const p of ps) if (!assignmentHas(of, t, p)) return false;
  return true;
}

/** Whether the two share a partition. */
export function intersects(a: Assignment, b: Assignment): boolean {
  for (const [t, ps] of a) for (const p of ps) if (assignmentHas(b, t, p)) return true;
  return false;
}

export function* eachPartition(a: Assignment): Generator<{ topicId: string; partition: number }> {
  for (const [topicId, ps] of a) for (const partition of ps) yield { topicId, partition };
}
