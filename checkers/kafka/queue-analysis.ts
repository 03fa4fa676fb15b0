import { AnomalyCollector } from '../elle/anomaly-collector.js';
import { originalValue, showValue } from '../elle/value-identity.js';
import { describeOp, KafkaHistory, KafkaOp, runHas, runOf, runValues, shownIndex } from './kafka-ops.js';
import { mustHaveCommitted, OkReads, VersionOrder } from './version-orders.js';

/**
 * The non-cycle checks of Jepsen's Kafka workload. Each finds one kind of error and files it,
 * with an explanation in plain words, under Jepsen's name for it. Values are partition value
 * numbers (kafka-ops.ts); explanations turn them back into what the history said.
 */

export interface QueueIndexes {
  history: KafkaHistory;
  orders: VersionOrder[];
  okRead: OkReads;
  /** Per partition: value -> position (in history.ops) of the op that sent it, the last if several; -1 if none. */
  writerOf: Int32Array[];
}

export function queueIndexes(history: KafkaHistory, orders: VersionOrder[], okRead: OkReads): QueueIndexes {
  const writerOf = history.partitions.map((p) => new Int32Array(p.size).fill(-1));
  const vs = history.records.values;
  for (const o of history.ops) {
    for (const run of o.writes) {
      const w = writerOf[run.partition]!;
      for (let i = run.start, end = run.start + run.length; i < end; i++) w[vs[i]!] = o.position;
    }
  }
  return { history, orders, okRead, writerOf };
}

const opsOf = (...os: (KafkaOp | undefined)[]) => os.filter((o): o is KafkaOp => o !== undefined).map((o) => o.op.index);

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

export function writerOf(ix: QueueIndexes, p: number, v: number): KafkaOp | undefined {
  const at = ix.writerOf[p]![v]!;
  return at >= 0 ? ix.history.ops[at] : undefined;
}

/** A failed send was polled by a committed op: an aborted read. */
export function abortedReads(ix: QueueIndexes, out: AnomalyCollector): void {
  const failed = ix.history.partitions.map((p) => new Uint8Array(p.size));
  let any = false;
  for (const o of ix.history.ops) {
    if (o.type !== 'fail') continue;
    for (const run of o.writes) {
      for (const v of runValues(ix.history.records, run)) failed[run.partition]![v] = 1;
      any = true;
    }
  }
  if (!any) return;
  for (const o of ix.history.ops) {
    if (o.type !== 'ok' || (o.f !== 'txn' && o.f !== 'poll')) continue;
    for (const run of o.reads) {
      const f = failed[run.partition]!;
      const vs = ix.history.records.values;
      for (let i = run.start, end = run.start + run.length; i < end; i++) {
        const v = vs[i]!;
        if (f[v] !== 1) continue;
        const writer = writerOf(ix, run.partition, v);
        const k = partitionName(ix, run.partition);
        out.add('G1a', () => ({
          explanation: `${describeOp(o)} polled ${show(ix, run.partition, v)} from key ${k}, but ${writer ? describeOp(writer) : 'the op'} that sent it failed: an aborted read`,
          ops: opsOf(o, writer),
          data: { key: k, value: valueOf(ix, run.partition, v), reader: shownIndex(o), writer: writer && shownIndex(writer) },
        }));
      }
    }
  }
}

/** A transaction polled its own send before committing; Kafka consumers must never see uncommitted records. */
export function precommittedReads(ix: QueueIndexes, out: AnomalyCollector): void {
  for (const o of ix.history.ops) {
    if (o.writes.length === 0 || o.reads.length === 0) continue;
    for (const ws of o.writes) {
      const rs = runOf(o.reads, ws.partition);
      if (!rs) continue;
      const bad = runValues(ix.history.records, ws).find((w) => runHas(ix.history.records, rs, w));
      if (bad === undefined) continue;
      const k = partitionName(ix, ws.partition);
      out.add('precommitted-read', () => ({
        explanation: `${describeOp(o)} sent ${show(ix, ws.partition, bad)} to key ${k} and polled it back within the same transaction, before it committed`,
        ops: opsOf(o),
        data: { key: k, value: valueOf(ix, ws.partition, bad), op: shownIndex(o) },
      }));
      break;
    }
  }
}

/** The first committed poll of a partition that returned this value, to show as a witness. */
function firstReader(ix: QueueIndexes, p: number, v: number): KafkaOp | undefined {
  return ix.history.ops.find((o) => {
    const run = o.type === 'ok' ? runOf(o.reads, p) : undefined;
    return run !== undefined && runHas(ix.history.records, run, v);
  });
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
    let witness: KafkaOp | undefined | null = null; // found lazily: only needed to explain a loss
    const k = partitionName(ix, p);
    for (const v of mustRead) {
      const writer = writerOf(ix, p, v);
      if (!writer || !mustHaveCommitted(writer, ix.okRead, ix.history.records)) continue;
      if (witness === null) {
        let atBound = -1;
        for (let x = 0; x < read.length && atBound < 0; x++) if (vo.lastIndex[x] === bound) atBound = x;
        witness = atBound >= 0 ? firstReader(ix, p, atBound) : undefined;
      }
      const maxRead = witness;
      out.add('lost-write', () => ({
        explanation: `${describeOp(writer)} sent ${show(ix, p, v)} to key ${k} (log index ${vo.firstIndex[v]}), and ${
          maxRead ? describeOp(maxRead) : 'a committed poll'
        } read up to index ${bound} of that key, yet no committed poll ever returned ${show(ix, p, v)}: a lost write`,
        ops: opsOf(writer, maxRead),
        data: { key: k, value: valueOf(ix, p, v), index: vo.firstIndex[v], maxReadIndex: bound, writer: shownIndex(writer), maxRead: maxRead && shownIndex(maxRead) },
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

function fileStep(ix: QueueIndexes, out: AnomalyCollector, type: string, p: number, from: number, to: number, d: number, ops: KafkaOp[], verb: 'polled' | 'sent'): void {
  out.add(type, () => {
    const vo = ix.orders[p]!;
    const skipped = d > 1 ? Array.from(vo.byIndex.subarray(vo.byValue[from]! + 1, vo.byValue[to]!)) : [];
    const where = ops.length === 1 ? describeOp(ops[0]!) : `${describeOp(ops[0]!)} and then ${describeOp(ops[1]!)}`;
    const what = d > 1 ? `skipping ${skipped.map((v) => show(ix, p, v)).join(', ')}` : d === 0 ? 'the same record twice' : `going back ${-d} record${d === -1 ? '' : 's'} in the log`;
    return {
      explanation: `${where} ${verb} ${show(ix, p, from)} then ${show(ix, p, to)} on key ${partitionName(ix, p)}, ${what}`,
      ops: opsOf(...ops),
      data: {
        key: partitionName(ix, p),
        values: [valueOf(ix, p, from), valueOf(ix, p, to)],
        delta: d,
        ...(d > 1 ? { skipped: skipped.map((v) => valueOf(ix, p, v)) } : {}),
        ops: ops.map(shownIndex),
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
  const vs = ix.history.records.values;
  for (const o of ix.history.ops) {
    for (const run of o.reads) {
      if (o.rebalanced?.has(run.partition)) continue;
      const vo = ix.orders[run.partition]!;
      for (let i = run.start + 1, end = run.start + run.length; i < end; i++) {
        const a = vs[i - 1]!;
        const b = vs[i]!;
        const d = delta(vo, a, b);
        if (d > 1) fileStep(ix, out, 'int-poll-skip', run.partition, a, b, d, [o], 'polled');
        else if (d < 1) fileStep(ix, out, 'int-nonmonotonic-poll', run.partition, a, b, d, [o], 'polled');
      }
    }
    for (const run of o.writes) {
      const vo = ix.orders[run.partition]!;
      for (let i = run.start + 1, end = run.start + run.length; i < end; i++) {
        const a = vs[i - 1]!;
        const b = vs[i]!;
        const d = delta(vo, a, b);
        if (d > 1) fileStep(ix, out, 'int-send-skip', run.partition, a, b, d, [o], 'sent');
        else if (d < 1) fileStep(ix, out, 'int-nonmonotonic-send', run.partition, a, b, d, [o], 'sent');
      }
    }
  }
}

function byProcess(ix: QueueIndexes): KafkaOp[][] {
  const m = new Map<unknown, KafkaOp[]>();
  for (const o of ix.history.ops) {
    const list = m.get(o.process);
    if (list) list.push(o);
    else m.set(o.process, [o]);
  }
  return [...m.values()];
}

/**
 * Across one consumer's ops: each poll of a key should start right after where its last
 * committed poll of that key ended (poll-skip, nonmonotonic-poll). An assign or subscribe
 * that drops the key resets this; failed and crashed polls are checked but, being rolled
 * back, do not move the position.
 */
export function pollOrderCases(ix: QueueIndexes, out: AnomalyCollector): void {
  const vs = ix.history.records.values;
  for (const ops of byProcess(ix)) {
    const lastRead = new Map<number, KafkaOp>();
    for (const o of ops) {
      if (o.keys) {
        if (o.type !== 'fail') for (const p of [...lastRead.keys()]) if (!o.keys.includes(p)) lastRead.delete(p);
        continue;
      }
      if (o.f === 'send') continue;
      for (const run of o.reads) {
        const last = lastRead.get(run.partition);
        if (!last || run.length === 0) continue;
        const prev = runOf(last.reads, run.partition)!;
        if (prev.length === 0) continue;
        const a = vs[prev.start + prev.length - 1]!;
        const b = vs[run.start]!;
        const d = delta(ix.orders[run.partition]!, a, b);
        if (d > 1) fileStep(ix, out, 'poll-skip', run.partition, a, b, d, [last, o], 'polled');
        else if (d < 1) fileStep(ix, out, 'nonmonotonic-poll', run.partition, a, b, d, [last, o], 'polled');
      }
      if (o.type === 'ok') for (const run of o.reads) lastRead.set(run.partition, o);
    }
  }
}

/** Across one producer's committed (or possibly committed) ops: sends to a key must not go back in the log. */
export function sendOrderCases(ix: QueueIndexes, out: AnomalyCollector): void {
  const vs = ix.history.records.values;
  for (const ops of byProcess(ix)) {
    const lastSend = new Map<number, KafkaOp>();
    for (const o of ops) {
      if (o.type === 'fail') continue;
      if (o.keys) {
        for (const p of [...lastSend.keys()]) if (!o.keys.includes(p)) lastSend.delete(p);
        continue;
      }
      if (o.f === 'poll') continue;
      for (const run of o.writes) {
        const last = lastSend.get(run.partition);
        if (last && run.length > 0) {
          const prev = runOf(last.writes, run.partition)!;
          const a = vs[prev.start + prev.length - 1]!;
          const b = vs[run.start]!;
          const d = delta(ix.orders[run.partition]!, a, b);
          if (d < 1) fileStep(ix, out, 'nonmonotonic-send', run.partition, a, b, d, [last, o], 'sent');
        }
        lastSend.set(run.partition, o);
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
  const sent = ix.history.partitions.map((p) => new Uint8Array(p.size));
  for (const o of ix.history.ops) {
    if (o.type !== 'ok') continue;
    for (const run of o.writes) for (const v of runValues(ix.history.records, run)) sent[run.partition]![v] = 1;
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
