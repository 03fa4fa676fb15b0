import { malformed, type SourcePosition } from './history-error.js';
import type { Op, OpType, ProcessId } from './op.js';

const opTypes: ReadonlySet<string> = new Set<OpType>(['invoke', 'ok', 'fail', 'info']);

/** Values used when a foreign history leaves a field out (Elle's paper example has no :process or :f). */
export interface OpDefaults {
  process?: ProcessId;
  f?: string;
}

/**
 * Turns decoded records (JSON objects, EDN maps with keyword keys), one after another, into
 * Ops numbered by position, checking the fields every checker relies on. Unknown fields are
 * kept. A source `index` that differs from the position is kept as `sourceIndex`.
 *
 * A history whose first op names no process (and no default process is given) is read as
 * a sequential history, as Elle's `paper-example.edn` is written: each invocation is
 * completed by the next completion, and each such operation is its own process, numbered
 * by its invocation's position, so pairing works and no process order is invented between
 * operations. In such a history no op may name a process, and no invocation may start while
 * another is open: without processes, overlapping operations cannot be told apart.
 */
export class OpRecordReader {
  private count = 0;
  /** Undecided until the first op; then whether ops name their processes. */
  private named: boolean | undefined;
  /** Sequential histories: the position of the open invocation. */
  private open: number | undefined;

  constructor(private readonly defaults: OpDefaults = {}) {}

  /** Ops read so far. */
  get size(): number {
    return this.count;
  }

  /**
   * The record as an Op at the next position. The record is adopted, not copied: callers
   * pass freshly decoded records, and copying millions of them costs the garbage collector.
   */
  read(record: unknown, where: SourcePosition): Op {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      throw malformed(`expected an op map, found ${describe(record)}`, where);
    }
    const r = record as Record<string, unknown>;
    const index = this.count;
    const type = r.type;
    if (typeof type !== 'string' || !opTypes.has(type)) {
      throw malformed(`op has ${type === undefined ? 'no type' : `type ${describe(type)}`}; expected one of invoke, ok, fail, info`, where);
    }
    let process = r.process;
    if (process === undefined || process === null) {
      process = this.defaults.process ?? this.sequentialProcess(index, type as OpType, where);
    } else if (!(typeof process === 'string' || (typeof process === 'number' && Number.isInteger(process)))) {
      throw malformed(`op process must be an integer or a name, found ${describe(process)}`, where);
    } else if (this.named === false) {
      throw malformed(`op names process ${describe(process)}, but the history's first op named none; name the process of every op or of none`, where);
    } else this.named = true;
    let f = r.f;
    if (f === undefined || f === null) {
      if (this.defaults.f === undefined) throw malformed('op has no f (operation name)', where);
      f = this.defaults.f;
    } else if (typeof f !== 'string') {
      throw malformed(`op f must be a name, found ${describe(f)}`, where);
    }
    if (r.time !== undefined && r.time !== null && typeof r.time !== 'number') {
      throw malformed(`op time must be a number of nanoseconds, found ${describe(r.time)}`, where);
    }
    const sourceIndex = r.index;
    r.index = index;
    r.process = process;
    r.f = f;
    if (r.time === null) delete r.time;
    if (typeof sourceIndex === 'number' && sourceIndex !== index) r.sourceIndex = sourceIndex;
    this.count++;
    return r as Op;
  }

  private sequentialProcess(index: number, type: OpType, where: SourcePosition): number {
    if (this.named === true) throw malformed('op has no process', where);
    this.named = false;
    if (type === 'invoke') {
      if (this.open !== undefined) {
        throw malformed(`op has no process and invokes while op ${this.open} is still open; a history without processes must be sequential (give every op a process)`, where);
      }
      this.open = index;
      return index;
    }
    const invoked = this.open ?? index;
    this.open = undefined;
    return invoked;
  }
}

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
