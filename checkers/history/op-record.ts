import { malformed, type SourcePosition } from './history-error.js';
import type { Op, OpType, ProcessId } from './op.js';

const opTypes: ReadonlySet<string> = new Set<OpType>(['invoke', 'ok', 'fail', 'info']);

/** Values used when a foreign history leaves a field out (Elle's paper example has no :process or :f). */
export interface OpDefaults {
  process?: ProcessId;
  f?: string;
}

/**
 * Turns one decoded record (a JSON object or an EDN map with keyword keys) into an Op at
 * position `index`, checking the fields every checker relies on. Unknown fields are kept.
 * A source `index` that differs from the position is kept as `sourceIndex`.
 */
export function recordToOp(record: unknown, index: number, where: SourcePosition, defaults: OpDefaults = {}): Op {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    throw malformed(`expected an op map, found ${describe(record)}`, where);
  }
  const r = record as Record<string, unknown>;
  const type = r.type;
  if (typeof type !== 'string' || !opTypes.has(type)) {
    throw malformed(`op has ${type === undefined ? 'no type' : `type ${describe(type)}`}; expected one of invoke, ok, fail, info`, where);
  }
  let process = r.process;
  if (process === undefined || process === null) {
    if (defaults.process === undefined) throw malformed('op has no process', where);
    process = defaults.process;
  } else if (!(typeof process === 'string' || (typeof process === 'number' && Number.isInteger(process)))) {
    throw malformed(`op process must be an integer or a name, found ${describe(process)}`, where);
  }
  let f = r.f;
  if (f === undefined || f === null) {
    if (defaults.f === undefined) throw malformed('op has no f (operation name)', where);
    f = defaults.f;
  } else if (typeof f !== 'string') {
    throw malformed(`op f must be a name, found ${describe(f)}`, where);
  }
  if (r.time !== undefined && r.time !== null && typeof r.time !== 'number') {
    throw malformed(`op time must be a number of nanoseconds, found ${describe(r.time)}`, where);
  }
  const op: Op = { ...r, index, process: process as ProcessId, type: type as OpType, f: f as string, value: r.value };
  if (!('value' in r)) delete (op as Partial<Op>).value;
  if (r.time === null) delete op.time;
  if (typeof r.index === 'number' && r.index !== index) op.sourceIndex = r.index;
  return op;
}

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
