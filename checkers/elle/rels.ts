/**
 * Dependency relations between transactions, as bits so one edge can carry several.
 *
 * - ww: T2 overwrote (appended after) a version T1 wrote;
 * - wr: T2 read a version T1 wrote;
 * - rw: T1 read a version which T2 overwrote (anti-dependency);
 * - process: the same process ran T1, then T2;
 * - realtime: T1 completed before T2 was invoked.
 *
 * We have no predicate reads, so Elle's wwp/wrp/rwp never occur here.
 */
export const Rel = {
  ww: 1,
  wr: 2,
  rw: 4,
  process: 8,
  realtime: 16,
} as const;
export type RelName = keyof typeof Rel;

export const relNames: readonly RelName[] = ['ww', 'wr', 'rw', 'process', 'realtime'];

export const dataRels = Rel.ww | Rel.wr | Rel.rw;

/** Names of the bits set in `rels`, in a stable order. */
export function relsToNames(rels: number): RelName[] {
  return relNames.filter((name) => (rels & Rel[name]) !== 0);
}
