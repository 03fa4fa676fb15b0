import { INFO, KafkaHistory, OK, Partition } from './kafka-history.js';

/**
 * What each partition's log looked like: offset -> values seen there, from every poll
 * (including polls of failed and crashed transactions: a consumer must never return bad data,
 * whatever becomes of its transaction) and from the sends we can prove took effect.
 *
 * Offsets are compressed to dense indices, because transaction markers occupy offsets that
 * consumers never see; an index is a position in the log of visible records. Values are the
 * partition's value numbers (see kafka-history.ts).
 */
export interface VersionOrder {
  partition: Partition;
  /** Offsets present, ascending. */
  offsets: Float64Array;
  /** Dense index -> the first value seen at that index. */
  byIndex: Int32Array;
  /** Value -> its dense index (the last one, when it appears at several), or -1. */
  byValue: Int32Array;
  /** Value -> first / last dense index where it appears (counting every value of an inconsistent offset), or -1. */
  firstIndex: Int32Array;
  lastIndex: Int32Array;
  /** Value -> how many offsets it appears at. */
  appearances: Int32Array;
  /** Dense index -> every value seen there, only where offsets disagree. */
  conflicts: Map<number, number[]>;
}

export interface InconsistentOffset {
  partition: number;
  offset: number;
  index: number;
  values: number[];
}

/** Per partition, which values some ok op polled: proof that a crashed writer committed. */
export type OkReads = Uint8Array[];

export function okReads(history: KafkaHistory): OkReads {
  const seen = history.partitions.map((p) => new Uint8Array(p.size));
  const vs = history.records.values;
  for (let o = 0; o < history.size; o++) {
    if (history.outcome[o] !== OK) continue;
    for (let r = history.runsFrom[o]!, end = history.writesFrom[o]!; r < end; r++) {
      const s = seen[history.runPartition[r]!]!;
      for (let i = history.runStart[r]!, stop = i + history.runLength[r]!; i < stop; i++) s[vs[i]!] = 1;
    }
  }
  return seen;
}

/** Ok, or info with some send that an ok op read (Jepsen's `must-have-committed?`). */
export function mustHaveCommitted(history: KafkaHistory, o: number, okRead: OkReads): boolean {
  const outcome = history.outcome[o];
  if (outcome === OK) return true;
  if (outcome !== INFO) return false;
  const vs = history.records.values;
  for (let r = history.writesFrom[o]!, end = history.runsFrom[o + 1]!; r < end; r++) {
    const s = okRead[history.runPartition[r]!]!;
    for (let i = history.runStart[r]!, stop = i + history.runLength[r]!; i < stop; i++) if (s[vs[i]!] === 1) return true;
  }
  return false;
}

/** Growable (offset, value) notes of one partition. */
class Notes {
  offsets: Float64Array;
  values: Int32Array;
  length = 0;

  constructor(capacity: number) {
    this.offsets = new Float64Array(Math.max(16, capacity));
    this.values = new Int32Array(Math.max(16, capacity));
  }

  add(offset: number, value: number): void {
    if (this.length === this.offsets.length) {
      const o = new Float64Array(this.length * 2);
      o.set(this.offsets);
      this.offsets = o;
      const v = new Int32Array(this.length * 2);
      v.set(this.values);
      this.values = v;
    }
    this.offsets[this.length] = offset;
    this.values[this.length] = value;
    this.length++;
  }
}

export function versionOrders(history: KafkaHistory, okRead: OkReads): { orders: VersionOrder[]; inconsistent: InconsistentOffset[] } {
  const h = history;
  // Size each partition's notes from its record count: no regrowth on big histories.
  const capacity = new Array<number>(h.partitions.length).fill(0);
  for (let r = 0; r < h.runPartition.length; r++) capacity[h.runPartition[r]!]! += h.runLength[r]!;
  const notes = capacity.map((c) => new Notes(c));
  const { offsets, values } = h.records;
  const noteRuns = (from: number, to: number) => {
    for (let r = from; r < to; r++) {
      const n = notes[h.runPartition[r]!]!;
      for (let i = h.runStart[r]!, end = i + h.runLength[r]!; i < end; i++) if (!Number.isNaN(offsets[i]!)) n.add(offsets[i]!, values[i]!);
    }
  };
  for (let o = 0; o < h.size; o++) {
    if (h.isSession(o)) continue;
    if (h.writeCount(o) > 0 && mustHaveCommitted(h, o, okRead)) noteRuns(h.writesFrom[o]!, h.runsFrom[o + 1]!);
    noteRuns(h.runsFrom[o]!, h.writesFrom[o]!);
  }
  const inconsistent: InconsistentOffset[] = [];
  const orders = h.partitions.map((partition) => buildOrder(partition, notes[partition.index]!, inconsistent));
  return { orders, inconsistent };
}

function buildOrder(partition: Partition, notes: Notes, inconsistent: InconsistentOffset[]): VersionOrder {
  // Group notes by offset: directly addressed when offsets are dense enough (they are, bar
  // markers and compaction), else by sorting.
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < notes.length; i++) {
    min = Math.min(min, notes.offsets[i]!);
    max = Math.max(max, notes.offsets[i]!);
  }
  const at = new Map<number, number[]>(); // offset -> extra values, for disagreements
  let offsets: Float64Array;
  let firstAt: Int32Array;
  if (notes.length > 0 && Number.isInteger(min) && Number.isInteger(max) && max - min < 8 * notes.length + 1024) {
    const slots = new Int32Array(max - min + 1).fill(-1);
    let present = 0;
    for (let i = 0; i < notes.length; i++) {
      const slot = notes.offsets[i]! - min;
      const v = notes.values[i]!;
      const current = slots[slot]!;
      if (current === -1) {
        slots[slot] = v;
        present++;
      } else if (current !== v) {
        const extra = at.get(slot + min);
        if (!extra) at.set(slot + min, [v]);
        else if (!extra.includes(v)) extra.push(v);
      }
    }
    offsets = new Float64Array(present);
    firstAt = new Int32Array(present);
    let j = 0;
    for (let slot = 0; slot < slots.length; slot++) {
      if (slots[slot] === -1) continue;
      offsets[j] = slot + min;
      firstAt[j++] = slots[slot]!;
    }
  } else {
    const order = Array.from({ length: notes.length }, (_, i) => i).sort((a, b) => notes.offsets[a]! - notes.offsets[b]!);
    const os: number[] = [];
    const vs: number[] = [];
    for (const i of order) {
      const offset = notes.offsets[i]!;
      const v = notes.values[i]!;
      if (os.length > 0 && os[os.length - 1] === offset) {
        if (vs[vs.length - 1] === v) continue;
        const extra = at.get(offset);
        if (!extra) at.set(offset, [v]);
        else if (!extra.includes(v)) extra.push(v);
        continue;
      }
      os.push(offset);
      vs.push(v);
    }
    offsets = Float64Array.from(os);
    firstAt = Int32Array.from(vs);
  }

  const n = partition.size;
  const byValue = new Int32Array(n).fill(-1);
  const firstIndex = new Int32Array(n).fill(-1);
  const lastIndex = new Int32Array(n).fill(-1);
  const appearances = new Int32Array(n);
  const conflicts = new Map<number, number[]>();
  const seeAt = (v: number, index: number) => {
    if (firstIndex[v] === -1) firstIndex[v] = index;
    lastIndex[v] = index;
    appearances[v]!++;
  };
  for (let index = 0; index < offsets.length; index++) {
    const v = firstAt[index]!;
    byValue[v] = index;
    seeAt(v, index);
    const extra = at.get(offsets[index]!);
    if (!extra) continue;
    // Values first seen at this offset, first: the first stays the order's choice.
    const all = [v, ...extra.filter((x) => x !== v)];
    for (const x of all.slice(1)) seeAt(x, index);
    conflicts.set(index, all);
    inconsistent.push({ partition: partition.index, offset: offsets[index]!, index, values: all });
  }
  return { partition, offsets, byIndex: firstAt, byValue, firstIndex, lastIndex, appearances, conflicts };
}
