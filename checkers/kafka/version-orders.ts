import type { ValueId } from '../elle/value-identity.js';
import type { KafkaHistory, KafkaOp } from './kafka-ops.js';

/**
 * What each partition's log looked like: offset -> values seen there, from every poll
 * (including polls of failed and crashed transactions: a consumer must never return bad data,
 * whatever becomes of its transaction) and from the sends we can prove took effect.
 *
 * Offsets are compressed to dense indices, because transaction markers occupy offsets that
 * consumers never see; an index is a position in the log of visible records.
 */
export interface VersionOrder {
  /** Offsets present, ascending, and the values seen at each (first seen first). */
  offsets: number[];
  valuesAt: ValueId[][];
  /** Dense index -> the (first) value at that index. */
  byIndex: ValueId[];
  /** Value -> its dense index (the last one, when it appears at several). */
  byValue: Map<ValueId, number>;
  /** Original values, for reports. */
  original: Map<ValueId, unknown>;
}

export interface InconsistentOffset {
  key: string;
  offset: number;
  index: number;
  values: ValueId[];
}

/** Values known to be read by ok ops, per key: proof that a crashed writer committed. */
export function okReads(history: KafkaHistory): Map<string, Set<ValueId>> {
  const seen = new Map<string, Set<ValueId>>();
  for (const o of history.ops) {
    if (o.type !== 'ok') continue;
    for (const [k, rs] of o.reads) {
      let s = seen.get(k);
      if (!s) seen.set(k, (s = new Set()));
      for (const r of rs) s.add(r.id);
    }
  }
  return seen;
}

/** Ok, or info with some send that an ok op read (Jepsen's `must-have-committed?`). */
export function mustHaveCommitted(o: KafkaOp, okRead: Map<string, Set<ValueId>>): boolean {
  if (o.type === 'ok') return true;
  if (o.type !== 'info') return false;
  for (const [k, ws] of o.writes) {
    const s = okRead.get(k);
    if (s && ws.some((w) => s.has(w.id))) return true;
  }
  return false;
}

export function versionOrders(history: KafkaHistory, okRead: Map<string, Set<ValueId>>): { orders: Map<string, VersionOrder>; inconsistent: InconsistentOffset[] } {
  const logs = new Map<string, Map<number, ValueId[]>>();
  const original = new Map<string, Map<ValueId, unknown>>();
  const note = (k: string, offset: number, id: ValueId, value: unknown) => {
    let log = logs.get(k);
    if (!log) {
      logs.set(k, (log = new Map()));
      original.set(k, new Map());
    }
    const at = log.get(offset);
    if (!at) log.set(offset, [id]);
    else if (!at.includes(id)) at.push(id);
    original.get(k)!.set(id, value);
  };
  for (const o of history.ops) {
    if (o.keys) continue;
    if (mustHaveCommitted(o, okRead)) {
      for (const [k, ws] of o.writes) for (const w of ws) if (w.offset !== null) note(k, w.offset, w.id, w.value);
    }
    for (const [k, rs] of o.reads) for (const r of rs) if (r.offset !== null) note(k, r.offset, r.id, r.value);
  }
  const orders = new Map<string, VersionOrder>();
  const inconsistent: InconsistentOffset[] = [];
  for (const [k, log] of logs) {
    const offsets = [...log.keys()].sort((a, b) => a - b);
    const valuesAt = offsets.map((o) => log.get(o)!);
    const byIndex = valuesAt.map((vs) => vs[0]!);
    const byValue = new Map<ValueId, number>();
    byIndex.forEach((v, i) => byValue.set(v, i));
    valuesAt.forEach((vs, index) => {
      if (vs.length > 1) inconsistent.push({ key: k, offset: offsets[index]!, index, values: vs });
    });
    orders.set(k, { offsets, valuesAt, byIndex, byValue, original: original.get(k)! });
  }
  return { orders, inconsistent };
}
