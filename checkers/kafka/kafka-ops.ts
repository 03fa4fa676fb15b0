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
 *
 * A million-op history polls millions of records, and every check walks them, so records
 * are not objects: each partition's values are numbered (interned) as they are read, and an
 * op's records of one partition are a run of parallel typed arrays.
 */

/** One partition: its name and the values seen in it, numbered from 0. */
export class Partition {
  readonly ids: ValueId[] = [];
  private readonly numbers = new Map<ValueId, number>();

  constructor(
    readonly name: string,
    readonly index: number,
  ) {}

  /** The number of a value, numbering it if new. */
  intern(id: ValueId): number {
    let n = this.numbers.get(id);
    if (n === undefined) {
      n = this.ids.length;
      this.numbers.set(id, n);
      this.ids.push(id);
    }
    return n;
  }

  get size(): number {
    return this.ids.length;
  }
}

/**
 * An op's records of one partition, in order: a slice [start, start + length) of the
 * history's record pool (`KafkaHistory.records`), offsets NaN when unknown.
 */
export interface Run {
  partition: number;
  start: number;
  length: number;
}

/** Every record of the history, in one pair of arrays: runs are slices of it. */
export interface RecordPool {
  offsets: Float64Array;
  values: Int32Array;
}

export interface KafkaOp {
  /** Position in `KafkaHistory.ops`. */
  position: number;
  /** The completion (or the invocation, when it never completed). */
  op: Op;
  invoke: Op;
  type: 'ok' | 'info' | 'fail';
  process: ProcessId;
  f: string;
  /** Sends, one run per partition. */
  writes: Run[];
  /** Polled records, one run per partition (several polls of a partition concatenated). */
  reads: Run[];
  /** Partitions the consumer was rebalanced on during this op (Jepsen's :rebalance-log). */
  rebalanced?: Set<number>;
  /** For assign/subscribe: the partitions. */
  keys?: number[];
  /** Graph vertex for ok/info send/poll/txn ops, else -1. */
  vertex: number;
}

export interface KafkaHistory {
  /** Client ops of every kind, in completion order. */
  ops: KafkaOp[];
  /** The ok/info send/poll/txn ops, by graph vertex. */
  vertices: KafkaOp[];
  partitions: Partition[];
  partitionOf: Map<string, number>;
  records: RecordPool;
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

/**
 * The record pool being filled: one growing pair of typed arrays rather than a typed array
 * per run, because millions of small typed arrays would spend the check in the allocator and
 * the garbage collector.
 */
class RunPool implements RecordPool {
  offsets = new Float64Array(1 << 16);
  values = new Int32Array(1 << 16);
  used = 0;

  /** A fresh run of `length` records for `partition`, filled by the caller. */
  take(partition: number, length: number): Run {
    if (this.used + length > this.values.length) {
      const size = Math.max(this.values.length * 2, this.used + length);
      const offsets = new Float64Array(size);
      offsets.set(this.offsets.subarray(0, this.used));
      this.offsets = offsets;
      const values = new Int32Array(size);
      values.set(this.values.subarray(0, this.used));
      this.values = values;
    }
    const run = { partition, start: this.used, length };
    this.used += length;
    return run;
  }

  /** Adds a run to an op's runs, joining it to a run of the same partition (two polls of it in one op). */
  add(runs: Run[], run: Run): void {
    for (let i = 0; i < runs.length; i++) {
      const a = runs[i]!;
      if (a.partition !== run.partition) continue;
      const joined = this.take(run.partition, a.length + run.length);
      this.offsets.copyWithin(joined.start, a.start, a.start + a.length);
      this.values.copyWithin(joined.start, a.start, a.start + a.length);
      this.offsets.copyWithin(joined.start + a.length, run.start, run.start + run.length);
      this.values.copyWithin(joined.start + a.length, run.start, run.start + run.length);
      runs[i] = joined;
      return;
    }
    runs.push(run);
  }

  done(): RecordPool {
    return { offsets: this.offsets.subarray(0, this.used), values: this.values.subarray(0, this.used) };
  }
}

class HistoryReader {
  readonly partitions: Partition[] = [];
  readonly partitionOf = new Map<string, number>();
  readonly pool = new RunPool();
  /** Partitions by the raw key the history used (number or text), sparing a conversion per record. */
  private readonly byRawKey = new Map<unknown, Partition>();
  // Sends of the op being read, reused from op to op.
  private sendPartition: number[] = [];
  private sendOffset: number[] = [];
  private sendValue: number[] = [];

  partition(k: unknown): Partition {
    let p = this.byRawKey.get(k);
    if (p) return p;
    const name = keyOf(k);
    const i = this.partitionOf.get(name);
    if (i === undefined) {
      p = new Partition(name, this.partitions.length);
      this.partitionOf.set(name, p.index);
      this.partitions.push(p);
    } else p = this.partitions[i]!;
    if (typeof k === 'number' || typeof k === 'string') this.byRawKey.set(k, p);
    return p;
  }

  offset(op: Op, raw: unknown): number {
    if (typeof raw === 'number') return raw;
    if (raw === null || raw === undefined) return NaN;
    throw badOp(op, `offset ${describe(raw)} is not a number`);
  }

  parseMops(op: Op, value: unknown, into: KafkaOp): void {
    if (value === undefined || value === null) return;
    if (!Array.isArray(value)) throw badOp(op, `value ${describe(value)} is not a list of micro-ops`);
    const completed = op.type !== 'invoke';
    let sends = 0;
    for (const mop of value) {
      if (!Array.isArray(mop) || typeof mop[0] !== 'string') throw badOp(op, `micro-op ${describe(mop)} is not ["send", k, v] or ["poll", ...]`);
      if (mop[0] === 'send') {
        if (mop.length < 3) throw badOp(op, `send ${describe(mop)} needs a key and a value`);
        const p = this.partition(mop[1]);
        // Completed sends carry [offset, value]; invocations (and some crashed ones) the bare value.
        const sent = mop[2];
        const paired = completed && Array.isArray(sent);
        this.sendPartition[sends] = p.index;
        this.sendOffset[sends] = paired ? this.offset(op, sent[0]) : NaN;
        this.sendValue[sends] = p.intern(valueId(paired ? sent[1] : sent));
        sends++;
      } else if (mop[0] === 'poll') {
        const polled = mop[1];
        if (polled === undefined || polled === null) continue;
        if (typeof polled !== 'object' || Array.isArray(polled)) throw badOp(op, `poll result ${describe(polled)} is not a map of keys to [[offset, value], ...]`);
        for (const k of Object.keys(polled)) {
          const records = (polled as { [k: string]: unknown })[k];
          if (!Array.isArray(records)) throw badOp(op, `poll of key ${k} gave ${describe(records)}, not [[offset, value], ...]`);
          const p = this.partition(k);
          const run = this.pool.take(p.index, records.length);
          for (let i = 0; i < records.length; i++) {
            const r = records[i];
            if (!Array.isArray(r) || r.length < 2) throw badOp(op, `polled record ${describe(r)} is not [offset, value]`);
            this.pool.offsets[run.start + i] = this.offset(op, r[0]);
            this.pool.values[run.start + i] = p.intern(valueId(r[1]));
          }
          this.pool.add(into.reads, run);
        }
      } else {
        throw badOp(op, `micro-op ${describe(mop[0])} is neither send nor poll`);
      }
    }
    // One run per partition sent to, in the order the op first sent to it.
    for (let first = 0; first < sends; first++) {
      const partition = this.sendPartition[first]!;
      if (this.sendPartition.indexOf(partition) < first) continue;
      let count = 0;
      for (let i = first; i < sends; i++) if (this.sendPartition[i] === partition) count++;
      const run = this.pool.take(partition, count);
      for (let i = first, j = run.start; i < sends; i++) {
        if (this.sendPartition[i] !== partition) continue;
        this.pool.offsets[j] = this.sendOffset[i]!;
        this.pool.values[j++] = this.sendValue[i]!;
      }
      into.writes.push(run);
    }
    this.sendPartition.length = 0;
  }

  rebalanced(op: Op): Set<number> | undefined {
    const log = (op['rebalanceLog'] ?? op['rebalance-log']) as unknown;
    if (!Array.isArray(log)) return undefined;
    const keys = new Set<number>();
    for (const event of log) {
      const ks = (event as { keys?: unknown })?.keys;
      if (Array.isArray(ks)) for (const k of ks) keys.add(this.partition(k).index);
    }
    return keys;
  }
}

/**
 * Reads a Kafka queue history. Unlike Elle, a completion's value is used whatever its type:
 * a crashed send may still report the offset it got, and a failed transaction's polls still
 * show what the broker returned.
 */
export function readKafkaHistory(history: readonly Op[]): KafkaHistory {
  const paired = pairOps(history);
  const reader = new HistoryReader();
  const ops: KafkaOp[] = [];
  const take = (invoke: Op, completion: Op | undefined, type: 'ok' | 'info' | 'fail') => {
    if (!dataFs.has(invoke.f) && !sessionFs.has(invoke.f)) return;
    const op = completion ?? invoke;
    const k: KafkaOp = { position: ops.length, op, invoke, type, process: invoke.process, f: invoke.f, writes: [], reads: [], vertex: -1 };
    const rebalanced = reader.rebalanced(op);
    if (rebalanced) k.rebalanced = rebalanced;
    if (sessionFs.has(invoke.f)) {
      const v = completion?.value ?? invoke.value;
      if (!Array.isArray(v)) throw badOp(op, `${invoke.f} value ${describe(v)} is not a list of keys`);
      k.keys = v.map((x) => reader.partition(x).index);
    } else {
      reader.parseMops(op, completion?.value !== undefined ? completion.value : invoke.value, k);
    }
    ops.push(k);
  };
  for (const p of paired.pairs) take(p.invoke, p.completion, p.outcome);
  for (const p of paired.failed) take(p.invoke, p.completion, 'fail');
  // Completion order: the order in which ops took (or failed to take) effect.
  ops.sort((a, b) => a.op.index - b.op.index);
  ops.forEach((o, i) => (o.position = i));
  const vertices = ops.filter((o) => o.keys === undefined && o.type !== 'fail');
  vertices.forEach((o, i) => (o.vertex = i));
  return { ops, vertices, partitions: reader.partitions, partitionOf: reader.partitionOf, records: reader.pool.done() };
}

/** The value numbers of a run, as a view (for explanations; hot loops index the pool). */
export function runValues(records: RecordPool, run: Run): Int32Array {
  return records.values.subarray(run.start, run.start + run.length);
}

/** Whether a run holds a value. */
export function runHas(records: RecordPool, run: Run, v: number): boolean {
  const vs = records.values;
  for (let i = run.start, end = run.start + run.length; i < end; i++) if (vs[i] === v) return true;
  return false;
}

/** The run of a partition in an op's reads or writes. */
export function runOf(runs: readonly Run[], partition: number): Run | undefined {
  for (const r of runs) if (r.partition === partition) return r;
  return undefined;
}

/** Index a report shows for an op (its completion's, in the source's numbering). */
export function shownIndex(o: KafkaOp): number {
  return o.op.sourceIndex ?? o.op.index;
}

export function describeOp(o: KafkaOp): string {
  return `op ${shownIndex(o)} (process ${showValue(o.process)}, ${o.type} ${o.f})`;
}
