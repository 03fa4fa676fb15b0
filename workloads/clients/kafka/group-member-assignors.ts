/**
 * The classic consumer protocol's client-side assignors, as the Java consumer's
 * `RangeAssignor` ("range") and `RoundRobinAssignor` ("roundrobin") split one topic: the
 * group leader runs the one the coordinator chose and sends each member its share in
 * SyncGroup. Members are ordered by member id, so every leader computes the same split.
 */
export type AssignorName = 'range' | 'roundrobin';

export const assignorNames: readonly AssignorName[] = ['range', 'roundrobin'];

/** Member id → partitions of the topic, for the members subscribed to it (each gets an entry, maybe empty). */
export function assignPartitions(assignor: AssignorName, memberIds: readonly string[], partitionCount: number): Map<string, number[]> {
  const members = [...memberIds].sort();
  const out = new Map<string, number[]>(members.map((m) => [m, []]));
  if (members.length === 0) return out;
  if (assignor === 'range') {
    // Contiguous ranges; the first `extra` members get one partition more.
    const per = Math.floor(partitionCount / members.length);
    const extra = partitionCount % members.length;
    members.forEach((m, i) => {
      const start = per * i + Math.min(i, extra);
      const length = per + (i < extra ? 1 : 0);
      out.set(m, Array.from({ length }, (_, k) => start + k));
    });
  } else {
    for (let p = 0; p < partitionCount; p++) out.get(members[p % members.length]!)!.push(p);
  }
  return out;
}
