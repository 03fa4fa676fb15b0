import type { ProcessId } from '../history/op.js';
import { showValue, type ValueId } from '../elle/value-identity.js';

/**
 * A Kafka queue history as the checkers read it (op shapes in docs/checkers-kafka.md): not
 * objects but columns. A million-op history polls millions of records, and a live object per
 * op, run or record would make every garbage collection re-mark gigabytes; typed arrays are
 * never traced. Partition keys and record values are numbered (interned) as they are read.
 *
 * Ops are numbered by position, in completion order (an op that never completed sits at its
 * invocation). An op's records of one partition form a run: a slice of the history-wide
 * record pool. Op `o`'s reads are runs `runsFrom[o] .. writesFrom[o]`, its writes runs
 * `writesFrom[o] .. runsFrom[o + 1]`; a run `r` is `runPartition[r]`, records
 * `runStart[r] .. runStart[r] + runLength[r]`.
 */

/** One partition: its name and the values seen in it, numbered from 0. */
export class Partition {
  readonly ids: ValueId[] = [];
  /** Numbers of numeric values (most histories send integers): a typed-array hash, no boxing. */
  private readonly numeric = new NumberTable();
  private readonly others = new Map<ValueId, number>();

  constructor(
    readonly name: string,
    readonly index: number,
  ) {}

  /** The number of a value, numbering it if new. */
  intern(id: ValueId): number {
    if (typeof id === 'number') {
      const known = this.numeric.get(id);
      if (known >= 0) return known;
      const n = this.ids.length;
      this.numeric.set(id, n);
      this.ids.push(id);
      return n;
    }
    let n = this.others.get(id);
    if (n === undefined) {
      n = this.ids.length;
      this.others.set(id, n);
      this.ids.push(id);
    }
    return n;
  }

  get size(): number {
    return this.ids.length;
  }
}

/**
 * number -> non-negative int, open addressing over typed arrays. Keys compare as a Map's do
 * (SameValueZero: 0 and -0 are one key).
 */
class NumberTable {
  private keys = new Float64Array(1024);
  private values = new Int32Array(1024).fill(-1);
  private count = 0;

  /** The value for `key`, or -1. */
  get(key: number): number {
    const mask = this.keys.length - 1;
    for (let i = slotOf(key, mask); ; i = (i + 1) & mask) {
      const v = this.values[i]!;
      if (v < 0 || this.keys[i] === key || (key !== key && this.keys[i] !== this.keys[i])) return v;
    }
  }

  set(key: number, value: number): void {
    if ((this.count + 1) * 2 > this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    let i = slotOf(key, mask);
    while (this.values[i]! >= 0) i = (i + 1) & mask;
    this.keys[i] = key === 0 ? 0 : key;
    this.values[i] = value;
    this.count++;
  }

  private grow(): void {
    const keys = this.keys;
    const values = this.values;
    this.keys = new Float64Array(keys.length * 2);
    this.values = new Int32Array(keys.length * 2).fill(-1);
    this.count = 0;
    for (let i = 0; i < keys.length; i++) if (values[i]! >= 0) this.set(keys[i]!, values[i]!);
  }
}

const bits = new Float64Array(1);
const words = new Int32Array(bits.buffer);

function slotOf(key: number, mask: number): number {
  let h: number;
  if ((key | 0) === key) h = key | 0;
  else {
    bits[0] = key === 0 ? 0 : key;
    h = words[0]! ^ words[1]!;
  }
  // Values of a partition are often increasing counters: keep each block of 256 consecutive
  // integers in consecutive slots (the table stays in cache as the history goes by) and
  // scatter the blocks (golden-ratio multiply), so strided values do not pile up either.
  return (h ^ Math.imul(h >>> 8, 0x9e3779b1)) & mask;
}

/** Every record of the history, offsets NaN when unknown; runs are slices of it. */
export interface RecordPool {
  offsets: Float64Array;
  values: Int32Array;
}

export const outcomeNames = ['ok', 'info', 'fail'] as const;
export type Outcome = (typeof outcomeNames)[number];
export const OK = 0;
export const INFO = 1;
export const FAIL = 2;

/** The op kinds the checkers read, in code order; assign and subscribe are session ops. */
export const kafkaFs = ['send', 'poll', 'txn', 'assign', 'subscribe'] as const;
export type KafkaF = (typeof kafkaFs)[number];
export const SEND = 0;
export const POLL = 1;
export const TXN = 2;
export const ASSIGN = 3;
export const SUBSCRIBE = 4;

/** Gives back an op's value (the completion's, else the invocation's), for explanations only. */
export type OpValueSource = (position: number) => unknown;

export interface KafkaHistoryColumns {
  size: number;
  outcome: Uint8Array;
  fn: Uint8Array;
  /** Process number; `processes` names it. */
  processOf: Int32Array;
  processes: ProcessId[];
  /** History index of the completion (the invocation's when it never completed). */
  index: Float64Array;
  /** The index a report shows for that op: the source's (sparse Jepsen indices), else `index`. */
  shown: Float64Array;
  invokeIndex: Float64Array;
  invokeShown: Float64Array;
  /** Nanoseconds, NaN when the history had none. */
  time: Float64Array;
  invokeTime: Float64Array;
  /** 1 when the op has a completion (ok, info or fail), 0 when it never completed. */
  completed: Uint8Array;
  runsFrom: Int32Array;
  writesFrom: Int32Array;
  runPartition: Int32Array;
  runStart: Int32Array;
  runLength: Int32Array;
  /** assign/subscribe: partitions `keys[keysFrom[o] .. keysFrom[o + 1]]`. */
  keysFrom: Int32Array;
  keys: Int32Array;
  /** Partitions the consumer was rebalanced on during an op (Jepsen's :rebalance-log). */
  rebalanced: Map<number, Set<number>>;
  partitions: Partition[];
  partitionOf: Map<string, number>;
  records: RecordPool;
  valueOf: OpValueSource;
}

export class KafkaHistory implements KafkaHistoryColumns {
  readonly size!: number;
  readonly outcome!: Uint8Array;
  readonly fn!: Uint8Array;
  readonly processOf!: Int32Array;
  readonly processes!: ProcessId[];
  readonly index!: Float64Array;
  readonly shown!: Float64Array;
  readonly invokeIndex!: Float64Array;
  readonly invokeShown!: Float64Array;
  readonly time!: Float64Array;
  readonly invokeTime!: Float64Array;
  readonly completed!: Uint8Array;
  readonly runsFrom!: Int32Array;
  readonly writesFrom!: Int32Array;
  readonly runPartition!: Int32Array;
  readonly runStart!: Int32Array;
  readonly runLength!: Int32Array;
  readonly keysFrom!: Int32Array;
  readonly keys!: Int32Array;
  readonly rebalanced!: Map<number, Set<number>>;
  readonly partitions!: Partition[];
  readonly partitionOf!: Map<string, number>;
  readonly records!: RecordPool;
  readonly valueOf!: OpValueSource;
  /** Graph vertex of each op (ok and info send/poll/txn ops), else -1. */
  readonly vertexOf: Int32Array;
  /** Vertex -> op position. */
  readonly vertices: Int32Array;

  constructor(columns: KafkaHistoryColumns) {
    Object.assign(this, columns);
    this.vertexOf = new Int32Array(this.size).fill(-1);
    let n = 0;
    for (let o = 0; o < this.size; o++) if (this.fn[o]! < ASSIGN && this.outcome[o] !== FAIL) this.vertexOf[o] = n++;
    this.vertices = new Int32Array(n);
    for (let o = 0; o < this.size; o++) if (this.vertexOf[o]! >= 0) this.vertices[this.vertexOf[o]!] = o;
  }

  isSession(o: number): boolean {
    return this.fn[o]! >= ASSIGN;
  }

  f(o: number): KafkaF {
    return kafkaFs[this.fn[o]!]!;
  }

  type(o: number): Outcome {
    return outcomeNames[this.outcome[o]!]!;
  }

  process(o: number): ProcessId {
    return this.processes[this.processOf[o]!]!;
  }

  readCount(o: number): number {
    return this.writesFrom[o]! - this.runsFrom[o]!;
  }

  writeCount(o: number): number {
    return this.runsFrom[o + 1]! - this.writesFrom[o]!;
  }

  /** The op's read run of a partition, or -1. */
  readOf(o: number, partition: number): number {
    for (let r = this.runsFrom[o]!, end = this.writesFrom[o]!; r < end; r++) if (this.runPartition[r] === partition) return r;
    return -1;
  }

  /** The op's write run of a partition, or -1. */
  writeOf(o: number, partition: number): number {
    for (let r = this.writesFrom[o]!, end = this.runsFrom[o + 1]!; r < end; r++) if (this.runPartition[r] === partition) return r;
    return -1;
  }

  /** Whether an assign/subscribe op names a partition. */
  hasKey(o: number, partition: number): boolean {
    for (let i = this.keysFrom[o]!, end = this.keysFrom[o + 1]!; i < end; i++) if (this.keys[i] === partition) return true;
    return false;
  }

  /** The value numbers of a run, as a view (for explanations; hot loops index the pool). */
  runValues(r: number): Int32Array {
    return this.records.values.subarray(this.runStart[r]!, this.runStart[r]! + this.runLength[r]!);
  }

  /** Whether a run holds a value. */
  runHas(r: number, v: number): boolean {
    const vs = this.records.values;
    for (let i = this.runStart[r]!, end = i + this.runLength[r]!; i < end; i++) if (vs[i] === v) return true;
    return false;
  }

  /** The last record's value of a run. */
  lastOf(r: number): number {
    return this.records.values[this.runStart[r]! + this.runLength[r]! - 1]!;
  }

  /** Index a report shows for an op (its completion's, in the source's numbering). */
  shownIndex(o: number): number {
    return this.shown[o]!;
  }

  describeOp(o: number): string {
    return `op ${this.shown[o]} (process ${showValue(this.process(o))}, ${this.type(o)} ${this.f(o)})`;
  }
}

/** A key as compared: the partition's name as text. */
export function keyOf(k: unknown): string {
  return typeof k === 'string' ? k : typeof k === 'number' ? String(k) : JSON.stringify(k);
}
