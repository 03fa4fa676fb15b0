import { AnomalyCollector } from '../elle/anomaly-collector.js';
import { showValue, ValueId } from '../elle/value-identity.js';
import { describeOp, KafkaHistory, KafkaOp, shownIndex } from './kafka-ops.js';
import { mustHaveCommitted, VersionOrder } from './version-orders.js';

/**
 * The non-cycle checks of Jepsen's Kafka workload. Each finds one kind of error and files it,
 * with an explanation in plain words, under Jepsen's name for it.
 */

export interface QueueIndexes {
  history: KafkaHistory;
  orders: Map<string, VersionOrder>;
  okRead: Map<string, Set<ValueId>>;
  /** key -> value -> the op (any outcome) that sent it; the last one if several did. */
  writerOf: Map<string, Map<ValueId, KafkaOp>>;
  /** key -> value -> ops (any outcome) that polled it. */
  readersOf: Map<string, Map<ValueId, KafkaOp[]>>;
}

export function queueIndexes(history: KafkaHistory, orders: Map<string, VersionOrder>, okRead: Map<string, Set<ValueId>>): QueueIndexes {
  const writerOf = new Map<string, Map<ValueId, KafkaOp>>();
  const readersOf = new Map<string, Map<ValueId, KafkaOp[]>>();
  for (const o of history.ops) {
    for (const [k, ws] of o.writes) {
      let m = writerOf.get(k);
      if (!m) writerOf.set(k, (m = new Map()));
      for (const w of ws) m.set(w.id, o);
    }
    for (const [k, rs] of o.reads) {
      let m = readersOf.get(k);
      if (!m) readersOf.set(k, (m = new Map()));
      for (const r of rs) {
        const list = m.get(r.id);
        if (!list) m.set(r.id, [o]);
        else if (list[list.length - 1] !== o) list.push(o);
      }
    }
  }
  return { history, orders, okRead, writerOf, readersOf };
}

const opsOf = (...os: (KafkaOp | undefined)[]) => os.filter((o): o is KafkaOp => o !== undefined).map((o) => o.op.index);

function original(ix: QueueIndexes, k: string, id: ValueId | undefined): unknown {
  return id === undefined ? undefined : ix.orders.get(k)?.original.get(id) ?? id;
}

function show(ix: QueueIndexes, k: string, id: ValueId | undefined): string {
  return showValue(original(ix, k, id));
}

/** A failed send was polled by a committed op: an aborted read. */
export function abortedReads(ix: QueueIndexes, out: AnomalyCollector): void {
  const failed = new Map<string, Set<ValueId>>();
  for (const o of ix.history.ops) {
    if (o.type !== 'fail') continue;
    for (const [k, ws] of o.writes) {
      let s = failed.get(k);
      if (!s) failed.set(k, (s = new Set()));
      for (const w of ws) s.add(w.id);
    }
  }
  for (const o of ix.history.ops) {
    if (o.type !== 'ok' || (o.f !== 'txn' && o.f !== 'poll')) continue;
    for (const [k, rs] of o.reads) {
      const f = failed.get(k);
      if (!f) continue;
      for (const r of rs) {
        if (!f.has(r.id)) continue;
        const writer = ix.writerOf.get(k)?.get(r.id);
        out.add('G1a', () => ({
          explanation: `${describeOp(o)} polled ${showValue(r.value)} from key ${k}, but ${writer ? describeOp(writer) : 'the op'} that sent it failed: an aborted read`,
          ops: opsOf(o, writer),
          data: { key: k, value: r.value, reader: shownIndex(o), writer: writer && shownIndex(writer) },
        }));
      }
    }
  }
}

/** A transaction polled its own send before committing; Kafka consumers must never see uncommitted records. */
export function precommittedReads(ix: QueueIndexes, out: AnomalyCollector): void {
  for (const o of ix.history.ops) {
    for (const [k, ws] of o.writes) {
      const rs = o.reads.get(k);
      if (!rs) continue;
      const read = new Set(rs.map((r) => r.id));
      const bad = ws.find((w) => read.has(w.id));
      if (!bad) continue;
      out.add('precommitted-read', () => ({
        explanation: `${describeOp(o)} sent ${showValue(bad.value)} to key ${k} and polled it back within the same transaction, before it committed`,
        ops: opsOf(o),
        data: { key: k, value: bad.value, op: shownIndex(o) },
      }));
      break;
    }
  }
}

/**
 * A committed send below the highest record some committed poll saw was never polled by
 * anyone. Values repeated at several offsets are judged by their first and last appearance,
 * so an inconsistent log cannot hide a loss.
 */
export function lostWrites(ix: QueueIndexes, out: AnomalyCollector): void {
  for (const [k, read] of ix.okRead) {
    const vo = ix.orders.get(k);
    if (!vo) continue;
    const firstIndex = new Map<ValueId, number>();
    const lastIndex = new Map<ValueId, number>();
    vo.valuesAt.forEach((vs, i) => {
      for (const v of vs) {
        if (!firstIndex.has(v)) firstIndex.set(v, i);
        lastIndex.set(v, i);
      }
    });
    let bound = -1;
    for (const v of read) {
      const i = firstIndex.get(v);
      if (i !== undefined && i > bound) bound = i;
    }
    if (bound < 0) continue;
    const atBound = [...lastIndex].find(([, i]) => i === bound)?.[0];
    const maxRead = atBound === undefined ? undefined : ix.readersOf.get(k)?.get(atBound)?.[0];
    const mustRead = [...lastIndex].filter(([, i]) => i <= bound).sort((a, b) => a[1] - b[1]);
    for (const [v] of mustRead) {
      if (read.has(v)) continue;
      const writer = ix.writerOf.get(k)?.get(v);
      if (!writer || !mustHaveCommitted(writer, ix.okRead)) continue;
      out.add('lost-write', () => ({
        explanation: `${describeOp(writer)} sent ${show(ix, k, v)} to key ${k} (log index ${firstIndex.get(v)}), and ${
          maxRead ? describeOp(maxRead) : 'a committed poll'
        } read up to index ${bound} of that key, yet no committed poll ever returned ${show(ix, k, v)}: a lost write`,
        ops: opsOf(writer, maxRead),
        data: { key: k, value: original(ix, k, v), index: firstIndex.get(v), maxReadIndex: bound, writer: shownIndex(writer), maxRead: maxRead && shownIndex(maxRead) },
      }));
    }
  }
}

interface StepCase {
  kind: 'skip' | 'nonmonotonic';
  key: string;
  from: ValueId | undefined;
  to: ValueId;
  delta: number;
  skipped: ValueId[];
}

/** Compares two successive values of a key by their log index: +1 is the next record. */
function stepBetween(vo: VersionOrder | undefined, key: string, from: ValueId | undefined, to: ValueId): StepCase | null {
  const i = from === undefined ? undefined : vo?.byValue.get(from);
  const j = vo?.byValue.get(to);
  const delta = i !== undefined && j !== undefined ? j - i : 1;
  if (delta > 1) return { kind: 'skip', key, from, to, delta, skipped: vo!.byIndex.slice(i! + 1, j) };
  if (delta < 1) return { kind: 'nonmonotonic', key, from, to, delta, skipped: [] };
  return null;
}

/**
 * Within one op: successive polled records of a key must be successive records of the log
 * (int-poll-skip when it jumps ahead, int-nonmonotonic-poll when it goes back or repeats),
 * unless the consumer was rebalanced on that key meanwhile; successive sends to a key must
 * land in order (int-nonmonotonic-send; int-send-skip is normal: other producers interleave).
 */
export function internalOrderCases(ix: QueueIndexes, out: AnomalyCollector): void {
  for (const o of ix.history.ops) {
    for (const [k, rs] of o.reads) {
      if (o.rebalanced.has(k)) continue;
      const vo = ix.orders.get(k);
      let previous: ValueId | undefined;
      let previousKnown = false;
      for (const r of rs) {
        const c = previousKnown ? stepBetween(vo, k, previous, r.id) : null;
        if (c) fileStep(ix, out, c.kind === 'skip' ? 'int-poll-skip' : 'int-nonmonotonic-poll', c, [o], 'polled');
        previous = r.id;
        previousKnown = vo?.byValue.has(r.id) ?? false;
      }
    }
    for (const [k, ws] of o.writes) {
      const vo = ix.orders.get(k);
      for (let i = 1; i < ws.length; i++) {
        const c = stepBetween(vo, k, ws[i - 1]!.id, ws[i]!.id);
        if (c) fileStep(ix, out, c.kind === 'skip' ? 'int-send-skip' : 'int-nonmonotonic-send', c, [o], 'sent');
      }
    }
  }
}

function fileStep(ix: QueueIndexes, out: AnomalyCollector, type: string, c: StepCase, ops: KafkaOp[], verb: 'polled' | 'sent'): void {
  out.add(type, () => {
    const where = ops.length === 1 ? `${describeOp(ops[0]!)}` : `${describeOp(ops[0]!)} and then ${describeOp(ops[1]!)}`;
    const what =
      c.kind === 'skip'
        ? `skipping ${c.skipped.map((v) => show(ix, c.key, v)).join(', ')}`
        : c.delta === 0
          ? 'the same record twice'
          : `going back ${-c.delta} record${c.delta === -1 ? '' : 's'} in the log`;
    return {
      explanation: `${where} ${verb} ${show(ix, c.key, c.from)} then ${show(ix, c.key, c.to)} on key ${c.key}, ${what}`,
      ops: opsOf(...ops),
      data: {
        key: c.key,
        values: [original(ix, c.key, c.from), original(ix, c.key, c.to)],
        delta: c.delta,
        ...(c.kind === 'skip' ? { skipped: c.skipped.map((v) => original(ix, c.key, v)) } : {}),
        ops: ops.map(shownIndex),
      },
    };
  });
}

function byProcess(ix: QueueIndexes): Map<unknown, KafkaOp[]> {
  const m = new Map<unknown, KafkaOp[]>();
  for (const o of ix.history.ops) {
    const list = m.get(o.process);
    if (list) list.push(o);
    else m.set(o.process, [o]);
  }
  return m;
}

/**
 * Across one consumer's ops: each poll of a key should start right after where its last
 * committed poll of that key ended (poll-skip, nonmonotonic-poll). An assign or subscribe
 * that drops the key resets this; failed and crashed polls are checked but, being rolled
 * back, do not move the position.
 */
export function pollOrderCases(ix: QueueIndexes, out: AnomalyCollector): void {
  for (const ops of byProcess(ix).values()) {
    const lastRead = new Map<string, KafkaOp>();
    for (const o of ops) {
      if (o.keys) {
        if (o.type !== 'fail') for (const k of [...lastRead.keys()]) if (!o.keys.includes(k)) lastRead.delete(k);
        continue;
      }
      if (o.f === 'send') continue;
      for (const [k, rs] of o.reads) {
        const last = lastRead.get(k);
        if (!last || rs.length === 0) continue;
        const prev = last.reads.get(k) ?? [];
        if (prev.length === 0) continue;
        const c = stepBetween(ix.orders.get(k), k, prev[prev.length - 1]!.id, rs[0]!.id);
        if (c) fileStep(ix, out, c.kind === 'skip' ? 'poll-skip' : 'nonmonotonic-poll', c, [last, o], 'polled');
      }
      if (o.type === 'ok') for (const k of o.reads.keys()) lastRead.set(k, o);
    }
  }
}

/** Across one producer's committed (or possibly committed) ops: sends to a key must not go back in the log. */
export function sendOrderCases(ix: QueueIndexes, out: AnomalyCollector): void {
  for (const ops of byProcess(ix).values()) {
    const lastSend = new Map<string, KafkaOp>();
    for (const o of ops) {
      if (o.type === 'fail') continue;
      if (o.keys) {
        for (const k of [...lastSend.keys()]) if (!o.keys.includes(k)) lastSend.delete(k);
        continue;
      }
      if (o.f === 'poll') continue;
      for (const [k, ws] of o.writes) {
        const last = lastSend.get(k);
        if (!last || ws.length === 0) continue;
        const prev = last.writes.get(k)!;
        const c = stepBetween(ix.orders.get(k), k, prev[prev.length - 1]!.id, ws[0]!.id);
        if (c && c.kind === 'nonmonotonic') fileStep(ix, out, 'nonmonotonic-send', c, [last, o], 'sent');
      }
      for (const k of o.writes.keys()) lastSend.set(k, o);
    }
  }
}

/** One value at several offsets of a key. */
export function duplicateCases(ix: QueueIndexes, out: AnomalyCollector): void {
  for (const [k, vo] of ix.orders) {
    const at = new Map<ValueId, number[]>();
    vo.valuesAt.forEach((vs, i) => {
      for (const v of vs) {
        const list = at.get(v);
        if (list) list.push(vo.offsets[i]!);
        else at.set(v, [vo.offsets[i]!]);
      }
    });
    for (const [v, offsets] of at) {
      if (offsets.length < 2) continue;
      out.add('duplicate', () => ({
        explanation: `${show(ix, k, v)} appears at ${offsets.length} offsets of key ${k} (${offsets.join(', ')}); each value was sent once`,
        data: { key: k, value: original(ix, k, v), count: offsets.length, offsets },
      }));
    }
  }
}

/** Acknowledged sends no committed poll ever returned, by the end of the history. */
export function unseenCases(ix: QueueIndexes, out: AnomalyCollector): void {
  const sent = new Map<string, Map<ValueId, unknown>>();
  for (const o of ix.history.ops) {
    if (o.type !== 'ok') continue;
    for (const [k, ws] of o.writes) {
      let m = sent.get(k);
      if (!m) sent.set(k, (m = new Map()));
      for (const w of ws) m.set(w.id, w.value);
    }
  }
  const unseen: Record<string, unknown[]> = {};
  let total = 0;
  for (const [k, values] of sent) {
    const polled = ix.okRead.get(k);
    const missing = [...values].filter(([id]) => !polled?.has(id)).map(([, v]) => v);
    if (missing.length > 0) {
      unseen[k] = missing;
      total += missing.length;
    }
  }
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
