import { UsageError } from '../../common/errors.js';
import { pairOps } from '../history/op-pairs.js';
import { describe } from '../history/op-record.js';
import type { Op, ProcessId } from '../history/op.js';
import { showValue, ValueId, valueId } from '../elle/value-identity.js';

/**
 * Kafka queue histories, in the shape of Jepsen's `jepsen.tests.kafka` (see
 * docs/checkers-kafka.md). An integer or string key names one topic-partition.
 *
 * - `send`: `[["send", k, v]]`, completed `[["send", k, [offset, v]]]` (offset null if unknown);
 * - `poll`: `[["poll"]]`, completed `[["poll", {k: [[offset, v], ...]}]]`;
 * - `txn`: any mix of the two, in one Kafka transaction;
 * - `assign` / `subscribe`: value `[k, ...]`, replacing the consumer's partitions;
 * - `crash`: the client was torn down (ignored here).
 *
 * Poll maps come from JSON or EDN maps, whose keys are text, so every key is compared as
 * text: key 1 and key "1" are the same partition.
 */

export interface Record {
  offset: number | null;
  value: unknown;
  id: ValueId;
}

export interface KafkaOp {
  /** Position of the completion (or the invocation, when it never completed). */
  op: Op;
  invoke: Op;
  type: 'ok' | 'info' | 'fail';
  process: ProcessId;
  f: string;
  /** Sends per key, in order. */
  writes: Map<string, Record[]>;
  /** Polled records per key, in order, across all polls of the op. */
  reads: Map<string, Record[]>;
  /** Keys the consumer was rebalanced on during this op (Jepsen's :rebalance-log). */
  rebalanced: Set<string>;
  /** For assign/subscribe: the keys. */
  keys?: string[];
  /** Graph vertex for ok/info send/poll/txn ops, else -1. */
  vertex: number;
}

export const dataFs: ReadonlySet<string> = new Set(['send', 'poll', 'txn']);
const sessionFs: ReadonlySet<string> = new Set(['assign', 'subscribe']);

/** A key as compared: the partition's name as text. */
export function keyOf(k: unknown): string {
  return typeof k === 'string' ? k : typeof k === 'number' ? String(k) : JSON.stringify(k);
}

function badOp(op: Op, why: string): UsageError {
  return new UsageError(
    'KZ_KAFKA_HISTORY_SHAPE',
    `op ${op.sourceIndex ?? op.index} (process ${describe(op.process)}, ${op.f}) is not a Kafka queue op: ${why}; see docs/checkers-kafka.md for the op shapes`,
  );
}

function record(op: Op, raw: unknown, withOffset: boolean): Record {
  if (withOffset && Array.isArray(raw)) {
    const [offset, value] = raw;
    if (offset !== null && offset !== undefined && typeof offset !== 'number') throw badOp(op, `offset ${describe(offset)} is not a number`);
    return { offset: offset ?? null, value, id: valueId(value) };
  }
  return { offset: null, value: raw, id: valueId(raw) };
}

function push(map: Map<string, Record[]>, k: string, r: Record): void {
  const list = map.get(k);
  if (list) list.push(r);
  else map.set(k, [r]);
}

function parseMops(op: Op, value: unknown, into: KafkaOp): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) throw badOp(op, `value ${describe(value)} is not a list of micro-ops`);
  for (const mop of value) {
    if (!Array.isArray(mop) || typeof mop[0] !== 'string') throw badOp(op, `micro-op ${describe(mop)} is not ["send", k, v] or ["poll", ...]`);
    if (mop[0] === 'send') {
      if (mop.length < 3) throw badOp(op, `send ${describe(mop)} needs a key and a value`);
      // Completed sends carry [offset, value]; invocations (and some crashed ones) the bare value.
      push(into.writes, keyOf(mop[1]), record(op, mop[2], op.type !== 'invoke' && Array.isArray(mop[2])));
    } else if (mop[0] === 'poll') {
      const polled = mop[1];
      if (polled === undefined || polled === null) continue;
      if (typeof polled !== 'object' || Array.isArray(polled)) throw badOp(op, `poll result ${describe(polled)} is not a map of keys to [[offset, value], ...]`);
      for (const [k, records] of Object.entries(polled as { [k: string]: unknown })) {
        if (!Array.isArray(records)) throw badOp(op, `poll of key ${k} gave ${describe(records)}, not [[offset, value], ...]`);
        if (!into.reads.has(k)) into.reads.set(k, []);
        for (const r of records) {
          if (!Array.isArray(r) || r.length < 2) throw badOp(op, `polled record ${describe(r)} is not [offset, value]`);
          push(into.reads, k, record(op, r, true));
        }
      }
    } else {
      throw badOp(op, `micro-op ${describe(mop[0])} is neither send nor poll`);
    }
  }
}

function rebalancedKeys(op: Op): Set<string> {
  const log = (op['rebalanceLog'] ?? op['rebalance-log']) as unknown;
  const keys = new Set<string>();
  if (Array.isArray(log)) {
    for (const event of log) {
      const ks = (event as { keys?: unknown })?.keys;
      if (Array.isArray(ks)) for (const k of ks) keys.add(keyOf(k));
    }
  }
  return keys;
}

export interface KafkaHistory {
  /** Completed (or never completed) client ops of every kind, in completion order. */
  ops: KafkaOp[];
  /** The ok/info send/poll/txn ops, by graph vertex. */
  vertices: KafkaOp[];
}

/**
 * Reads a Kafka queue history. Unlike Elle, a completion's value is used whatever its type:
 * a crashed send may still report the offset it got, and a failed transaction's polls still
 * show what the broker returned.
 */
export function readKafkaHistory(history: readonly Op[]): KafkaHistory {
  const paired = pairOps(history);
  const all: { invoke: Op; completion?: Op; type: 'ok' | 'info' | 'fail' }[] = [
    ...paired.pairs.map((p) => ({ invoke: p.invoke, completion: p.completion, type: p.outcome })),
    ...paired.failed.map((p) => ({ invoke: p.invoke, completion: p.completion as Op | undefined, type: 'fail' as const })),
  ];
  const ops: KafkaOp[] = [];
  for (const { invoke, completion, type } of all) {
    if (!dataFs.has(invoke.f) && !sessionFs.has(invoke.f)) continue;
    const op = completion ?? invoke;
    const k: KafkaOp = {
      op,
      invoke,
      type,
      process: invoke.process,
      f: invoke.f,
      writes: new Map(),
      reads: new Map(),
      rebalanced: rebalancedKeys(op),
      vertex: -1,
    };
    if (sessionFs.has(invoke.f)) {
      const v = completion?.value ?? invoke.value;
      if (!Array.isArray(v)) throw badOp(op, `${invoke.f} value ${describe(v)} is not a list of keys`);
      k.keys = v.map(keyOf);
    } else {
      parseMops(op, completion?.value !== undefined ? completion.value : invoke.value, k);
    }
    ops.push(k);
  }
  ops.sort((a, b) => a.op.index - b.op.index);
  const vertices = ops.filter((o) => dataFs.has(o.f) && o.type !== 'fail');
  vertices.forEach((o, i) => (o.vertex = i));
  return { ops, vertices };
}

/** Index a report shows for an op (its completion's, in the source's numbering). */
export function shownIndex(o: KafkaOp): number {
  return o.op.sourceIndex ?? o.op.index;
}

export function describeOp(o: KafkaOp): string {
  return `op ${shownIndex(o)} (process ${showValue(o.process)}, ${o.type} ${o.f})`;
}
