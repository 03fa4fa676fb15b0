import type { Op, OpType, ProcessId } from '../../../checkers/history/op.js';

/**
 * Compact transactional histories for tests, in the notation of Elle's own tests:
 * `ax1ry12` is [[append x 1] [r y [1 2]]]; `ry` is a read of y that saw nothing; `wx1rx`
 * is [[w x 1] [r x nil]] for registers. Keys are single letters, values single digits.
 */
export function mops(spec: string): unknown[][] {
  const out: unknown[][] = [];
  let i = 0;
  while (i < spec.length) {
    const f = spec[i++]!;
    const key = spec[i++]!;
    const digits: number[] = [];
    while (i < spec.length && /\d/.test(spec[i]!)) digits.push(Number(spec[i++]));
    if (f === 'a') out.push(['append', key, digits[0]]);
    else if (f === 'w') out.push(['w', key, digits[0]]);
    else if (f === 'r') out.push(['r', key, digits.length === 0 ? null : digits]);
    else throw new Error(`bad micro-op ${f} in ${spec}`);
  }
  return out;
}

/** Register reads hold one value, not a list. */
export function registerMops(spec: string): unknown[][] {
  return mops(spec).map((m) => (m[0] === 'r' && Array.isArray(m[2]) ? ['r', m[1], m[2][0]] : m));
}

/** What a client sends: reads carry nil until they complete. */
function invocationOf(value: unknown[][]): unknown[][] {
  return value.map((m) => (m[0] === 'r' ? ['r', m[1], null] : m));
}

export class HistoryBuilder {
  private readonly list: Op[] = [];
  private readonly parse: (spec: string) => unknown[][];

  constructor(kind: 'list-append' | 'rw-register' = 'list-append') {
    this.parse = kind === 'list-append' ? mops : registerMops;
  }

  /** Starts a transaction; returns a handle for `complete`. */
  invoke(process: ProcessId, spec: string, f = 'txn'): { process: ProcessId; spec: string; f: string } {
    this.push({ process, type: 'invoke', f, value: invocationOf(this.parse(spec)) });
    return { process, spec, f };
  }

  complete(handle: { process: ProcessId; spec: string; f: string }, type: Exclude<OpType, 'invoke'> = 'ok', spec = handle.spec): this {
    const value = type === 'ok' ? this.parse(spec) : invocationOf(this.parse(spec));
    this.push({ process: handle.process, type, f: handle.f, value });
    return this;
  }

  /** A transaction invoked and completed at once (no concurrency). */
  txn(process: ProcessId, spec: string, type: Exclude<OpType, 'invoke'> = 'ok'): this {
    return this.complete(this.invoke(process, spec), type);
  }

  raw(op: Omit<Op, 'index'>): this {
    this.push(op);
    return this;
  }

  ops(): Op[] {
    return this.list;
  }

  private push(op: Omit<Op, 'index'>): void {
    this.list.push({ index: this.list.length, time: this.list.length * 1_000_000, ...op } as Op);
  }
}
