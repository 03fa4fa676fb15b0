import { UsageError } from '../../common/errors.js';
import { JsonBytes } from '../history/json-bytes.js';
import { OpPairer } from '../history/op-pairer.js';
import { describe } from '../history/op-record.js';
import type { Op, ProcessId } from '../history/op.js';
import { valueId } from '../elle/value-identity.js';
import { ASSIGN, FAIL, INFO, KafkaHistory, kafkaFs, keyOf, OK, type OpValueSource, Partition } from './kafka-history.js';
import { KafkaMopsScanner, SEND_EVENT } from './kafka-mops-scanner.js';

/**
 * Builds a KafkaHistory (kafka-history.ts) from paired operations, one at a time, so a
 * history file can stream through it without ever being held as Op objects. Unlike Elle, a
 * completion's value is used whatever its type: a crashed send may still report the offset
 * it got, and a failed transaction's polls still show what the broker returned.
 *
 * Ops may arrive in any order; `finish` puts them in completion order.
 */

const fCodes = new Map<string, number>(kafkaFs.map((f, i) => [f, i]));

function badOp(op: Op, why: string): UsageError {
  return new UsageError(
    'KZ_KAFKA_HISTORY_SHAPE',
    `op ${op.sourceIndex ?? op.index} (process ${describe(op.process)}, ${op.f}) is not a Kafka queue op: ${why}; see docs/checkers-kafka.md for the op shapes`,
  );
}

/** A growable typed array column. */
class Column<A extends Float64Array | Int32Array | Uint8Array> {
  length = 0;
  constructor(
    public data: A,
    private readonly make: (n: number) => A,
  ) {}

  push(x: number): void {
    if (this.length === this.data.length) this.reserve(1);
    this.data[this.length++] = x;
  }

  /** Room for `n` more. */
  reserve(n: number): void {
    if (this.length + n <= this.data.length) return;
    const grown = this.make(Math.max(this.data.length * 2, this.length + n));
    grown.set(this.data.subarray(0, this.length) as never);
    this.data = grown;
  }

  done(): A {
    return this.data.subarray(0, this.length) as A;
  }
}

const f64 = (n = 1024) => new Column(new Float64Array(n), (m) => new Float64Array(m));
const i32 = (n = 1024) => new Column(new Int32Array(n), (m) => new Int32Array(m));
const u8 = (n = 1024) => new Column(new Uint8Array(n), (m) => new Uint8Array(m));

export class KafkaHistoryBuilder {
  private readonly partitions: Partition[] = [];
  private readonly partitionOf = new Map<string, number>();
  /** Partitions by the raw key the history used (number or text), sparing a conversion per record. */
  private readonly byRawKey = new Map<unknown, Partition>();
  private readonly processes: ProcessId[] = [];
  private readonly processNumbers = new Map<ProcessId, number>();

  // Per op, in the order added.
  private readonly outcome = u8();
  private readonly fn = u8();
  private readonly processOf = i32();
  private readonly index = f64();
  private readonly shown = f64();
  private readonly invokeIndex = f64();
  private readonly invokeShown = f64();
  private readonly time = f64();
  private readonly invokeTime = f64();
  private readonly completed = u8();
  private readonly runsFrom = i32();
  private readonly writesFrom = i32();
  private readonly keysFrom = i32();
  private readonly rebalanced = new Map<number, Set<number>>();

  // Runs and keys.
  private readonly runPartition = i32(1 << 14);
  private readonly runStart = i32(1 << 14);
  private readonly runLength = i32(1 << 14);
  private readonly keys = i32();

  // The record pool: one growing pair of typed arrays rather than one per run.
  private readonly offsets = f64(1 << 16);
  private readonly values = i32(1 << 16);

  // The op being read: its read runs (partition, start, length) and sends.
  private readonly readRuns = i32(48);
  private readonly sendPartition = i32(16);
  private readonly sendOffset = f64(16);
  private readonly sendValue = i32(16);
  /** Reads values from JSON bytes; a value given as SCANNED is what it last read. */
  readonly scanner = new KafkaMopsScanner();

  get size(): number {
    return this.outcome.length;
  }

  /**
   * Sizes the columns for a history of about this many ops, runs and records. Optional, but
   * on a big history every regrowth of a column is a large allocation, and large
   * allocations make the collector re-mark whatever else is live (the Op objects, when the
   * history came as Ops).
   */
  reserve(ops: number, runs: number, records: number): void {
    for (const c of [this.outcome, this.fn, this.processOf, this.index, this.shown, this.invokeIndex, this.invokeShown, this.time, this.invokeTime, this.completed, this.writesFrom]) c.reserve(ops);
    this.runsFrom.reserve(ops + 1);
    this.keysFrom.reserve(ops + 1);
    for (const c of [this.runPartition, this.runStart, this.runLength]) c.reserve(runs);
    this.offsets.reserve(records);
    this.values.reserve(records);
  }

  /**
   * Adds one operation: its invocation and completion (none when it never completed), with
   * the completion's value (undefined when it has none; JSON bytes or a parsed value) and a
   * way to get the invocation's (`invokeValue(invoke)`), asked for only when the
   * completion's will not do. Returns its number in add order, or -1 when it is not a Kafka
   * op (other `f`s are skipped).
   */
  add(invoke: Op, completion: Op | undefined, outcome: 'ok' | 'info' | 'fail', completionValue: unknown, invokeValue: (invoke: Op) => unknown): number {
    const code = fCodes.get(invoke.f);
    if (code === undefined) return -1;
    const op = completion ?? invoke;
    const slot = this.size;
    this.outcome.push(outcome === 'ok' ? OK : outcome === 'info' ? INFO : FAIL);
    this.fn.push(code);
    this.processOf.push(this.processNumber(invoke.process));
    this.index.push(op.index);
    this.shown.push(op.sourceIndex ?? op.index);
    this.invokeIndex.push(invoke.index);
    this.invokeShown.push(invoke.sourceIndex ?? invoke.index);
    this.time.push(op.time ?? NaN);
    this.invokeTime.push(invoke.time ?? NaN);
    this.completed.push(completion ? 1 : 0);
    this.noteRebalances(slot, op);
    this.runsFrom.push(this.runPartition.length);
    this.keysFrom.push(this.keys.length);
    if (code >= ASSIGN) {
      const v = isNil(completionValue) ? invokeValue(invoke) : completionValue instanceof JsonBytes ? completionValue.parse() : completionValue;
      if (!Array.isArray(v)) throw badOp(op, `${invoke.f} value ${describe(v)} is not a list of keys`);
      for (const k of v) this.keys.push(this.partition(k).index);
      this.writesFrom.push(this.runPartition.length);
    } else {
      this.readMops(op, completionValue !== undefined ? completionValue : invokeValue(invoke));
    }
    return slot;
  }

  /**
   * The history, ops in completion order. `valueOf(slot)` gives an op's value (the
   * completion's when not nil, else the invocation's) by add order, for explanations.
   */
  finish(valueOf: OpValueSource): KafkaHistory {
    const n = this.size;
    this.runsFrom.push(this.runPartition.length);
    this.keysFrom.push(this.keys.length);
    const order = completionOrder(this.index.done());
    const runsFrom = this.runsFrom.done();
    const writesFrom = this.writesFrom.done();
    const keysFrom = this.keysFrom.done();
    const records = { offsets: this.offsets.done(), values: this.values.done() };
    const common = { size: n, processes: this.processes, partitions: this.partitions, partitionOf: this.partitionOf, records };
    if (order === null) {
      return new KafkaHistory({
        ...common,
        outcome: this.outcome.done(),
        fn: this.fn.done(),
        processOf: this.processOf.done(),
        index: this.index.done(),
        shown: this.shown.done(),
        invokeIndex: this.invokeIndex.done(),
        invokeShown: this.invokeShown.done(),
        time: this.time.done(),
        invokeTime: this.invokeTime.done(),
        completed: this.completed.done(),
        runsFrom,
        writesFrom,
        runPartition: this.runPartition.done(),
        runStart: this.runStart.done(),
        runLength: this.runLength.done(),
        keysFrom,
        keys: this.keys.done(),
        rebalanced: this.rebalanced,
        valueOf,
      });
    }
    // Some ops arrived out of completion order (ops never completed sit at their invocation):
    // permute every column, runs and keys included.
    const permute = <A extends Float64Array | Int32Array | Uint8Array>(c: Column<A>): A => {
      const from = c.done();
      const to = new (from.constructor as new (n: number) => A)(n);
      for (let i = 0; i < n; i++) to[i] = from[order[i]!]!;
      return to;
    };
    const runCount = this.runPartition.length;
    const runPartition = new Int32Array(runCount);
    const runStart = new Int32Array(runCount);
    const runLength = new Int32Array(runCount);
    const newRunsFrom = new Int32Array(n + 1);
    const newWritesFrom = new Int32Array(n);
    const keys = new Int32Array(this.keys.length);
    const newKeysFrom = new Int32Array(n + 1);
    let r = 0;
    let k = 0;
    const rebalanced = new Map<number, Set<number>>();
    for (let i = 0; i < n; i++) {
      const s = order[i]!;
      newRunsFrom[i] = r;
      for (let j = runsFrom[s]!; j < runsFrom[s + 1]!; j++, r++) {
        if (j === writesFrom[s]) newWritesFrom[i] = r;
        runPartition[r] = this.runPartition.data[j]!;
        runStart[r] = this.runStart.data[j]!;
        runLength[r] = this.runLength.data[j]!;
      }
      if (writesFrom[s] === runsFrom[s + 1]) newWritesFrom[i] = r;
      newKeysFrom[i] = k;
      for (let j = keysFrom[s]!; j < keysFrom[s + 1]!; j++) keys[k++] = this.keys.data[j]!;
      const rb = this.rebalanced.get(s);
      if (rb) rebalanced.set(i, rb);
    }
    newRunsFrom[n] = r;
    newKeysFrom[n] = k;
    return new KafkaHistory({
      ...common,
      outcome: permute(this.outcome),
      fn: permute(this.fn),
      processOf: permute(this.processOf),
      index: permute(this.index),
      shown: permute(this.shown),
      invokeIndex: permute(this.invokeIndex),
      invokeShown: permute(this.invokeShown),
      time: permute(this.time),
      invokeTime: permute(this.invokeTime),
      completed: permute(this.completed),
      runsFrom: newRunsFrom,
      writesFrom: newWritesFrom,
      runPartition,
      runStart,
      runLength,
      keysFrom: newKeysFrom,
      keys,
      rebalanced,
      valueOf: (position) => valueOf(order[position]!),
    });
  }

  private processNumber(p: ProcessId): number {
    let n = this.processNumbers.get(p);
    if (n === undefined) {
      n = this.processes.length;
      this.processes.push(p);
      this.processNumbers.set(p, n);
    }
    return n;
  }

  private partition(k: unknown): Partition {
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

  private noteRebalances(slot: number, op: Op): void {
    const log = (op['rebalanceLog'] ?? op['rebalance-log']) as unknown;
    if (!Array.isArray(log)) return;
    const keys = new Set<number>();
    for (const event of log) {
      const ks = (event as { keys?: unknown })?.keys;
      if (Array.isArray(ks)) for (const k of ks) keys.add(this.partition(k).index);
    }
    this.rebalanced.set(slot, keys);
  }

  private offset(op: Op, raw: unknown): number {
    if (typeof raw === 'number') return raw;
    if (raw === null || raw === undefined) return NaN;
    throw badOp(op, `offset ${describe(raw)} is not a number`);
  }

  /** A run of `length` fresh records, filled by the caller; returns its start. */
  private take(length: number): number {
    this.offsets.reserve(length);
    this.values.reserve(length);
    const start = this.values.length;
    this.offsets.length += length;
    this.values.length += length;
    return start;
  }

  private pushRun(partition: number, start: number, length: number): void {
    this.runPartition.push(partition);
    this.runStart.push(start);
    this.runLength.push(length);
  }

  /** Adds a read run to the op's reads, joining it to a run of the same partition (two polls of it in one op). */
  private addRead(partition: number, start: number, length: number): void {
    const runs = this.readRuns.data;
    for (let i = 0; i < this.readRuns.length; i += 3) {
      if (runs[i] !== partition) continue;
      const aStart = runs[i + 1]!;
      const aLength = runs[i + 2]!;
      const joined = this.take(aLength + length);
      const os = this.offsets.data;
      const vs = this.values.data;
      os.copyWithin(joined, aStart, aStart + aLength);
      vs.copyWithin(joined, aStart, aStart + aLength);
      os.copyWithin(joined + aLength, start, start + length);
      vs.copyWithin(joined + aLength, start, start + length);
      runs[i + 1] = joined;
      runs[i + 2] = aLength + length;
      return;
    }
    this.readRuns.push(partition);
    this.readRuns.push(start);
    this.readRuns.push(length);
  }

  private readMops(op: Op, value: unknown): void {
    if (value === SCANNED) {
      this.replayScanned();
      value = null;
    } else if (value instanceof JsonBytes) {
      if (value.isNull()) value = null;
      else if (this.scanner.scan(value, op.type !== 'invoke')) {
        this.replayScanned();
        value = null;
      } else value = value.parse();
    }
    if (value !== undefined && value !== null) this.parseMops(op, value);
    const runs = this.readRuns.data;
    for (let i = 0; i < this.readRuns.length; i += 3) this.pushRun(runs[i]!, runs[i + 1]!, runs[i + 2]!);
    this.readRuns.length = 0;
    this.writesFrom.push(this.runPartition.length);
    this.pushSends();
  }

  private parseMops(op: Op, value: unknown): void {
    if (!Array.isArray(value)) throw badOp(op, `value ${describe(value)} is not a list of micro-ops`);
    const completed = op.type !== 'invoke';
    for (const mop of value) {
      if (!Array.isArray(mop) || typeof mop[0] !== 'string') throw badOp(op, `micro-op ${describe(mop)} is not ["send", k, v] or ["poll", ...]`);
      if (mop[0] === 'send') {
        if (mop.length < 3) throw badOp(op, `send ${describe(mop)} needs a key and a value`);
        const p = this.partition(mop[1]);
        // Completed sends carry [offset, value]; invocations (and some crashed ones) the bare value.
        const sent = mop[2];
        const paired = completed && Array.isArray(sent);
        this.sendPartition.push(p.index);
        this.sendOffset.push(paired ? this.offset(op, sent[0]) : NaN);
        this.sendValue.push(p.intern(valueId(paired ? sent[1] : sent)));
      } else if (mop[0] === 'poll') {
        const polled = mop[1];
        if (polled === undefined || polled === null) continue;
        if (typeof polled !== 'object' || Array.isArray(polled)) throw badOp(op, `poll result ${describe(polled)} is not a map of keys to [[offset, value], ...]`);
        for (const k in polled) {
          const records = (polled as { [k: string]: unknown })[k];
          if (!Array.isArray(records)) throw badOp(op, `poll of key ${k} gave ${describe(records)}, not [[offset, value], ...]`);
          const p = this.partition(k);
          const start = this.take(records.length);
          const os = this.offsets.data;
          const vs = this.values.data;
          for (let i = 0; i < records.length; i++) {
            const r = records[i];
            if (!Array.isArray(r) || r.length < 2) throw badOp(op, `polled record ${describe(r)} is not [offset, value]`);
            os[start + i] = this.offset(op, r[0]);
            vs[start + i] = p.intern(valueId(r[1]));
          }
          this.addRead(p.index, start, records.length);
        }
      } else {
        throw badOp(op, `micro-op ${describe(mop[0])} is neither send nor poll`);
      }
    }
  }

  /** What the scanner read, interned in micro-op order exactly as parseMops would. */
  private replayScanned(): void {
    const m = this.scanner;
    for (let e = 0; e < m.events; e++) {
      const key = m.keyText[e] ?? m.keyNumber[e]!;
      const first = m.recordFrom[e]!;
      const count = m.recordCount[e]!;
      const p = this.partition(key);
      if (m.kind[e] === SEND_EVENT) {
        this.sendPartition.push(p.index);
        this.sendOffset.push(m.offset[first]!);
        this.sendValue.push(p.intern(m.valueText[first] ?? m.valueNumber[first]!));
        continue;
      }
      const start = this.take(count);
      const os = this.offsets.data;
      const vs = this.values.data;
      for (let i = 0; i < count; i++) {
        os[start + i] = m.offset[first + i]!;
        vs[start + i] = p.intern(m.valueText[first + i] ?? m.valueNumber[first + i]!);
      }
      this.addRead(p.index, start, count);
    }
  }

  /** One write run per partition sent to, in the order the op first sent to it. */
  private pushSends(): void {
    const ps = this.sendPartition.data;
    const sends = this.sendPartition.length;
    for (let first = 0; first < sends; first++) {
      const partition = ps[first]!;
      let seen = false;
      for (let i = 0; i < first && !seen; i++) seen = ps[i] === partition;
      if (seen) continue;
      let count = 0;
      for (let i = first; i < sends; i++) if (ps[i] === partition) count++;
      const start = this.take(count);
      for (let i = first, j = start; i < sends; i++) {
        if (ps[i] !== partition) continue;
        this.offsets.data[j] = this.sendOffset.data[i]!;
        this.values.data[j++] = this.sendValue.data[i]!;
      }
      this.pushRun(partition, start, count);
    }
    this.sendPartition.length = 0;
    this.sendOffset.length = 0;
    this.sendValue.length = 0;
  }
}

/** The add order sorted by history index (stably), or null when it already is. */
function completionOrder(index: Float64Array): Int32Array | null {
  let sorted = true;
  for (let i = 1; i < index.length && sorted; i++) if (index[i - 1]! > index[i]!) sorted = false;
  if (sorted) return null;
  return Int32Array.from(Array.from({ length: index.length }, (_, i) => i).sort((a, b) => index[a]! - index[b]! || a - b));
}

/** Reads a Kafka queue history given as Op objects (the library API) into the same columns the file reader fills. */
export function readKafkaHistory(history: readonly Op[]): KafkaHistory {
  const builder = new KafkaHistoryBuilder();
  const size = estimateSize(history);
  builder.reserve(size.ops, size.runs, size.records);
  const pairer = new OpPairer<Op>();
  const shows: Op[] = [];
  const add = (invoke: Op, completion: Op | undefined, outcome: 'ok' | 'info' | 'fail') => {
    const slot = builder.add(invoke, completion, outcome, completion?.value, valueOfOp);
    if (slot >= 0) shows[slot] = shownValueOp(invoke, completion);
  };
  for (const op of history) {
    const invoke = pairer.accept(op);
    if (invoke) add(invoke, op, op.type as 'ok' | 'info' | 'fail');
  }
  for (const invoke of pairer.stillOpen()) add(invoke, undefined, 'info');
  return builder.finish((slot) => shows[slot]!.value);
}

const valueOfOp = (op: Op): unknown => op.value;

/** Upper bounds of the ops, runs and records a history's values hold (a walk, no allocation). */
function estimateSize(history: readonly Op[]): { ops: number; runs: number; records: number } {
  let ops = 0;
  let runs = 0;
  let records = 0;
  for (const op of history) {
    if (op.type !== 'invoke') ops++;
    const value = op.value;
    if (op.type === 'invoke' || !Array.isArray(value)) continue;
    for (const mop of value) {
      if (!Array.isArray(mop)) continue;
      if (mop[0] === 'send') {
        runs++;
        records++;
      } else if (mop[0] === 'poll' && typeof mop[1] === 'object' && mop[1] !== null) {
        for (const k in mop[1]) {
          const rs = (mop[1] as Record<string, unknown>)[k];
          runs++;
          if (Array.isArray(rs)) records += rs.length;
        }
      }
    }
  }
  // Never-completed invocations become ops too; joined polls take a second run of records.
  return { ops: ops + 64, runs: runs + 64, records: records + (records >> 3) + 1024 };
}

/** Which op's value explanations quote: the completion's unless nil, else the invocation's. */
export function shownValueOp<T extends { value?: unknown }>(invoke: T, completion: T | undefined): T {
  return completion !== undefined && completion.value !== undefined && completion.value !== null ? completion : invoke;
}

/** A value the builder's scanner has just read from the line's bytes. */
export const SCANNED: unique symbol = Symbol('scanned');

/** Undefined, null, or the JSON text null. */
export function isNil(value: unknown): boolean {
  return value === undefined || value === null || (value instanceof JsonBytes && value.isNull());
}
