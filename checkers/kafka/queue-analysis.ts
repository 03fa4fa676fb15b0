import { AnomalyCollector } from '../elle/anomaly-collector.js';
import { originalValue, showValue } from '../elle/value-identity.js';
import { FAIL, KafkaHistory, OK, POLL, SEND, TXN } from './kafka-history.js';
import { mustHaveCommitted, OkReads, VersionOrder } from './version-orders.js';

/**
 * The non-cycle checks of Jepsen's Kafka workload. Each finds one kind of error and files it,
 * with an explanation in plain words, under Jepsen's name for it. Values are partition value
 * numbers and ops positions (kafka-history.ts); explanations turn them back into what the
 * history said.
 */

export interface QueueIndexes {
  history: KafkaHistory;
  orders: VersionOrder[];
  okRead: OkReads;
  /** Per partition: value -> position (in history.ops) of the op that sent it, the last if several; -1 if none. */
  writerOf: Int32Array[];
}

export function queueIndexes(history: KafkaHistory, orders: VersionOrder[], okRead: OkReads): QueueIndexes {
  const h = history;
  const writerOf = h.partitions.map((p) => new Int32Array(p.size).fill(-1));
  const vs = h.records.values;
  for (let o = 0; o < h.size; o++) {
    for (let r = h.writesFrom[o]!, end = h.runsFrom[o + 1]!; r < end; r++) {
      const w = writerOf[h.runPartition[r]!]!;
      for (let i = h.runStart[r]!, stop = i + h.runLength[r]!; i < stop; i++) w[vs[i]!] = o;
    }
  }
  return { history, orders, okRead, writerOf };
}

/** History indices of ops (positions; -1 for none), for an anomaly's `ops`. */
function opsOf(ix: QueueIndexes, ...os: number[]): number[] {
  return os.filter((o) => o >= 0).map((o) => ix.history.index[o]!);
}

function describeOp(ix: QueueIndexes, o: number): string {
  return ix.history.describeOp(o);
}

function shownIndex(ix: QueueIndexes, o: number): number {
  return ix.history.shown[o]!;
}

/** A partition's name and a value number as the history wrote them. */
export function partitionName(ix: { history: KafkaHistory }, p: number): string {
  return ix.history.partitions[p]!.name;
}

export function valueOf(ix: { history: KafkaHistory }, p: number, v: number): unknown {
  return originalValue(ix.history.partitions[p]!.ids[v]);
}

function show(ix: QueueIndexes, p: number, v: number): string {
  return showValue(valueOf(ix, p, v));
}

/** Position of the op that sent a value (the last, if several), or -1. */
export function writerOf(ix: QueueIndexes, p: number, v: number): number {
  return ix.writerOf[p]![v]!;
}

/** A failed send was polled by a committed op: an aborted read. */
export function abortedReads(ix: QueueIndexes, out: AnomalyCollector): void {
  const h = ix.history;
  const failed = h.partitions.map((p) => new Uint8Array(p.size));
  let any = false;
  for (let o = 0; o < h.size; o++) {
    if (h.outcome[o] !== FAIL) continue;
    for (let r = h.writesFrom[o]!, end = h.runsFrom[o + 1]!; r < end; r++) {
      for (const v of h.runValues(r)) failed[h.runPartition[r]!]![v] = 1;
      any = true;
    }
  }
  if (!any) return;
  const vs = h.records.values;
  for (let o = 0; o < h.size; o++) {
    if (h.outcome[o] !== OK || (h.fn[o] !== TXN && h.fn[o] !== POLL)) continue;
    for (let r = h.runsFrom[o]!, end = h.writesFrom[o]!; r < end; r++) {
      const p = h.runPartition[r]!;
      const f = failed[p]!;
      for (let i = h.runStart[r]!, stop = i + h.runLength[r]!; i < stop; i++) {
        const v = vs[i]!;
        if (f[v] !== 1) continue;
        const writer = writerOf(ix, p, v);
        const k = partitionName(ix, p);
        out.add('G1a', () => ({
          explanation: `${describeOp(ix, o)} polled ${show(ix, p, v)} from key ${k}, but ${writer >= 0 ? describeOp(ix, writer) : 'the op'} that sent it failed: an aborted read`,
          ops: opsOf(ix, o, writer),
          data: { key: k, value: valueOf(ix, p, v), reader: shownIndex(ix, o), writer: writer >= 0 ? shownIndex(ix, writer) : undefined },
        }));
      }
    }
  }
}

/** A transaction polled its own send before committing; Kafka consumers must never see uncommitted records. */
export function precommittedReads(ix: QueueIndexes, out: AnomalyCollector): void {
  const h = ix.history;
  for (let o = 0; o < h.size; o++) {
    if (h.writeCount(o) === 0 || h.readCount(o) === 0) continue;
    for (let ws = h.writesFrom[o]!, end = h.runsFrom[o + 1]!; ws < end; ws++) {
      const p = h.runPartition[ws]!;
      const rs = h.readOf(o, p);
      if (rs < 0) continue;
      const bad = h.runValues(ws).find((w) => h.runHas(rs, w));
      if (bad === undefined) continue;
      const k = partitionName(ix, p);
      out.add('precommitted-read', () => ({
        explanation: `${describeOp(ix, o)} sent ${show(ix, p, bad)} to key ${k} and polled it back within the same transaction, before it committed`,
        ops: opsOf(ix, o),
        data: { key: k, value: valueOf(ix, p, bad), op: shownIndex(ix, o) },
      }));
      break;
    }
  }
}

/** The first committed poll of a partition that returned this value, to show as a witness; -1 if none. */
function firstReader(ix: QueueIndexes, p: number, v: number): number {
  const h = ix.history;
  for (let o = 0; o < h.size; o++) {
    if (h.outcome[o] !== OK) continue;
    const r = h.readOf(o, p);
    if (r >= 0 && h.runHas(r, v)) return o;
  }
  return -1;
}

/**
 * A committed send below the highest record some committed poll saw was never polled by
 * anyone. Values repeated at several offsets are judged by their first and last appearance,
 * so an inconsistent log cannot hide a loss.
 */
export function lostWrites(ix: QueueIndexes, out: AnomalyCollector): void {
  for (const vo of ix.orders) {
    const p = vo.partition.index;
    const read = ix.okRead[p]!;
    let bound = -1;
    for (let v = 0; v < read.length; v++) if (read[v] === 1 && vo.firstIndex[v]! > bound) bound = vo.firstIndex[v]!;
    if (bound < 0) continue;
    // Values whose last appearance is at or below the bound, in log order.
    const mustRead: number[] = [];
    for (let v = 0; v < read.length; v++) if (vo.lastIndex[v] !== -1 && vo.lastIndex[v]! <= bound && read[v] !== 1) mustRead.push(v);
    if (mustRead.length === 0) continue;
    mustRead.sort((a, b) => vo.lastIndex[a]! - vo.lastIndex[b]! || vo.firstIndex[a]! - vo.firstIndex[b]!);
    let witness: number | null = null; // found lazily: only needed to explain a loss
    const k = partitionName(ix, p);
    for (const v of mustRead) {
      const writer = writerOf(ix, p, v);
      if (writer < 0 || !mustHaveCommitted(ix.history, writer, ix.okRead)) continue;
      if (witness === null) {
        let atBound = -1;
        for (let x = 0; x < read.length && atBound < 0; x++) if (vo.lastIndex[x] === bound) atBound = x;
        witness = atBound >= 0 ? firstReader(ix, p, atBound) : -1;
      }
      const maxRead = witness;
      out.add('lost-write', () => ({
        explanation: `${describeOp(ix, writer)} sent ${show(ix, p, v)} to key ${k} (log index ${vo.firstIndex[v]}), and ${
          maxRead >= 0 ? describeOp(ix, maxRead) : 'a committed poll'
        } read up to index ${bound} of that key, yet no committed poll ever returned ${show(ix, p, v)}: a lost write`,
        ops: opsOf(ix, writer, maxRead),
        data: { key: k, value: valueOf(ix, p, v), index: vo.firstIndex[v], maxReadIndex: bound, writer: shownIndex(ix, writer), maxRead: maxRead >= 0 ? shownIndex(ix, maxRead) : undefined },
      }));
    }
  }
}

/** Log-index distance from value a to value b (+1 is the next record), or 1 when either is unplaced. */
function delta(vo: VersionOrder, a: number, b: number): number {
  const i = vo.byValue[a]!;
  const j = vo.byValue[b]!;
  return i >= 0 && j >= 0 ? j - i : 1;
}

function fileStep(ix: QueueIndexes, out: AnomalyCollector, type: string, p: number, from: number, to: number, d: number, ops: number[], verb: 'polled' | 'sent'): void {
  out.add(type, () => {
    const vo = ix.orders[p]!;
    const skipped = d > 1 ? Array.from(vo.byIndex.subarray(vo.byValue[from]! + 1, vo.byValue[to]!)) : [];
    const where = ops.length === 1 ? describeOp(ix, ops[0]!) : `${describeOp(ix, ops[0]!)} and then ${describeOp(ix, ops[1]!)}`;
    const what = d > 1 ? `skipping ${skipped.map((v) => show(ix, p, v)).join(', ')}` : d === 0 ? 'the same record twice' : `going back ${-d} record${d === -1 ? '' : 's'} in the log`;
    return {
      explanation: `${where} ${verb} ${show(ix, p, from)} then ${show(ix, p, to)} on key ${partitionName(ix, p)}, ${what}`,
      ops: opsOf(ix, ...ops),
      data: {
        key: partitionName(ix, p),
        values: [valueOf(ix, p, from), valueOf(ix, p, to)],
        delta: d,
        ...(d > 1 ? { skipped: skipped.map((v) => valueOf(ix, p, v)) } : {}),
        ops: ops.map((o) => shownIndex(ix, o)),
      },
    };
  });
}

/**
 * Within one op: successive polled records of a key must be successive records of the log
 * (int-poll-skip when it jumps ahead, int-nonmonotonic-poll when it goes back or repeats),
 * unless the consumer was rebalanced on that key meanwhile; successive sends to a key must
 * land in order (int-nonmonotonic-send; int-send-skip is normal: other producers interleave).
 */
export function internalOrderCases(ix: QueueIndexes, out: AnomalyCollector): void {
  const h = ix.history;
  const vs = h.records.values;
  for (let o = 0; o < h.size; o++) {
    const rebalanced = h.rebalanced.get(o);
    for (let r = h.runsFrom[o]!, end = h.writesFrom[o]!; r < end; r++) {
      const p = h.runPartition[r]!;
      if (rebalanced?.has(p)) continue;
      const vo = ix.orders[p]!;
      for (let i = h.runStart[r]! + 1, stop = h.runStart[r]! + h.runLength[r]!; i < stop; i++) {
        const a = vs[i - 1]!;
        const b = vs[i]!;
        const d = delta(vo, a, b);
        if (d > 1) fileStep(ix, out, 'int-poll-skip', p, a, b, d, [o], 'polled');
        else if (d < 1) fileStep(ix, out, 'int-nonmonotonic-poll', p, a, b, d, [o], 'polled');
      }
    }
    for (let r = h.writesFrom[o]!, end = h.runsFrom[o + 1]!; r < end; r++) {
      const p = h.runPartition[r]!;
      const vo = ix.orders[p]!;
      for (let i = h.runStart[r]! + 1, stop = h.runStart[r]! + h.runLength[r]!; i < stop; i++) {
        const a = vs[i - 1]!;
        const b = vs[i]!;
        const d = delta(vo, a, b);
        if (d > 1) fileStep(ix, out, 'int-send-skip', p, a, b, d, [o], 'sent');
        else if (d < 1) fileStep(ix, out, 'int-nonmonotonic-send', p, a, b, d, [o], 'sent');
      }
    }
  }
}

/** Op positions per process, in order. */
function byProcess(ix: QueueIndexes): Int32Array[] {
  const h = ix.history;
  const counts = new Int32Array(h.processes.length);
  for (let o = 0; o < h.size; o++) counts[h.processOf[o]!]!++;
  // Processes in order of their first op, as they were met.
  const lists: Int32Array[] = [];
  const listOf = new Array<Int32Array | undefined>(h.processes.length);
  const filled = new Int32Array(h.processes.length);
  for (let o = 0; o < h.size; o++) {
    const p = h.processOf[o]!;
    let list = listOf[p];
    if (!list) lists.push((list = listOf[p] = new Int32Array(counts[p]!)));
    list[filled[p]!++] = o;
  }
  return lists;
}

/**
 * Across one consumer's ops: each poll of a key should start right after where its last
 * committed poll of that key ended (poll-skip, nonmonotonic-poll). An assign or subscribe
 * that drops the key resets this; failed and crashed polls are checked but, being rolled
 * back, do not move the position.
 */
export function pollOrderCases(ix: QueueIndexes, out: AnomalyCollector): void {
  const h = ix.history;
  const vs = h.records.values;
  for (const ops of byProcess(ix)) {
    const lastRead = new Map<number, number>();
    for (const o of ops) {
      if (h.isSession(o)) {
        if (h.outcome[o] !== FAIL) for (const p of [...lastRead.keys()]) if (!h.hasKey(o, p)) lastRead.delete(p);
        continue;
      }
      if (h.fn[o] === SEND) continue;
      for (let r = h.runsFrom[o]!, end = h.writesFrom[o]!; r < end; r++) {
        const p = h.runPartition[r]!;
        const last = lastRead.get(p);
        if (last === undefined || h.runLength[r] === 0) continue;
        const prev = h.readOf(last, p);
        if (h.runLength[prev] === 0) continue;
        const a = h.lastOf(prev);
        const b = vs[h.runStart[r]!]!;
        const d = delta(ix.orders[p]!, a, b);
        if (d > 1) fileStep(ix, out, 'poll-skip', p, a, b, d, [last, o], 'polled');
        else if (d < 1) fileStep(ix, out, 'nonmonotonic-poll', p, a, b, d, [last, o], 'polled');
      }
      if (h.outcome[o] === OK) for (let r = h.runsFrom[o]!, end = h.writesFrom[o]!; r < end; r++) lastRead.set(h.runPartition[r]!, o);
    }
  }
}

/** Across one producer's committed (or possibly committed) ops: sends to a key must not go back in the log. */
export function sendOrderCases(ix: QueueIndexes, out: AnomalyCollector): void {
  const h = ix.history;
  const vs = h.records.values;
  for (const ops of byProcess(ix)) {
    const lastSend = new Map<number, number>();
    for (const o of ops) {
      if (h.outcome[o] === FAIL) continue;
      if (h.isSession(o)) {
        for (const p of [...lastSend.keys()]) if (!h.hasKey(o, p)) lastSend.delete(p);
        continue;
      }
      if (h.fn[o] === POLL) continue;
      for (let r = h.writesFrom[o]!, end = h.runsFrom[o + 1]!; r < end; r++) {
        const p = h.runPartition[r]!;
        const last = lastSend.get(p);
        if (last !== undefined && h.runLength[r]! > 0) {
          const prev = h.writeOf(last, p);
          const a = h.lastOf(prev);
          const b = vs[h.runStart[r]!]!;
          const d = delta(ix.orders[p]!, a, b);
          if (d < 1) fileStep(ix, out, 'nonmonotonic-send', p, a, b, d, [last, o], 'sent');
        }
        lastSend.set(p, o);
      }
    }
  }
}

/** One value at several offsets of a key. */
export function duplicateCases(ix: QueueIndexes, out: AnomalyCollector): void {
  for (const vo of ix.orders) {
    const p = vo.partition.index;
    for (let v = 0; v < vo.appearances.length; v++) {
      if (vo.appearances[v]! < 2) continue;
      out.add('duplicate', () => {
        const offsets: number[] = [];
        for (let i = vo.firstIndex[v]!; i <= vo.lastIndex[v]!; i++) {
          if (vo.byIndex[i] === v || (vo.conflicts.get(i)?.includes(v) ?? false)) offsets.push(vo.offsets[i]!);
        }
        const k = partitionName(ix, p);
        return {
          explanation: `${show(ix, p, v)} appears at ${offsets.length} offsets of key ${k} (${offsets.join(', ')}); each value was sent once`,
          data: { key: k, value: valueOf(ix, p, v), count: offsets.length, offsets },
        };
      });
    }
  }
}

/** Acknowledged sends no committed poll ever returned, by the end of the history. */
export function unseenCases(ix: QueueIndexes, out: AnomalyCollector): void {
  const h = ix.history;
  const sent = h.partitions.map((p) => new Uint8Array(p.size));
  for (let o = 0; o < h.size; o++) {
    if (h.outcome[o] !== OK) continue;
    for (let r = h.writesFrom[o]!, end = h.runsFrom[o + 1]!; r < end; r++) for (const v of h.runValues(r)) sent[h.runPartition[r]!]![v] = 1;
  }
  const unseen: Record<string, unknown[]> = {};
  let total = 0;
  sent.forEach((s, p) => {
    const read = ix.okRead[p]!;
    const missing: unknown[] = [];
    for (let v = 0; v < s.length; v++) if (s[v] === 1 && read[v] !== 1) missing.push(valueOf(ix, p, v));
    if (missing.length > 0) {
      unseen[partitionName(ix, p)] = missing;
      total += missing.length;
    }
  });
  if (total === 0) return;
  const keys = Object.keys(unseen).sort();
  out.add('unseen', () => ({
    explanation: `${total} acknowledged send${total === 1 ? ' was' : 's were'} never returned by any committed poll: ${keys
      .slice(0, 8)
      .map((k) => `key ${k}: ${unseen[k]!.length} (${unseen[k]!.slice(0, 5).map(showValue).join(', ')}${unseen[k]!.length > 5 ? ', ...' : ''})`)
      .join('; ')}${keys.length > 8 ? '; ...' : ''}`,
    data: { unseen: Object.fromEntries(keys.map((k) => [k, unseen[k]!.length])), messages: Object.fromEntries(keys.map((k) => [k, unseen[k]!.slice(0, 32)])) },
  }));
}
