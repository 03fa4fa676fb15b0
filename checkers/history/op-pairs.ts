import type { SourcePosition } from './history-error.js';
import { OpPairer } from './op-pairer.js';
import type { Op, ProcessId } from './op.js';

/**
 * One client operation: its invocation and how it ended. `fail` pairs are kept apart because
 * they certainly did not happen; `info` covers both an info completion and an invocation the
 * history never completed (Knossos' synthetic info): the op may take effect at any time after
 * its invocation, or never.
 */
export interface OpPair {
  invoke: Op;
  /** The ok/info completion; undefined when the history ended with the op still open. */
  completion?: Op;
  outcome: 'ok' | 'info';
  process: ProcessId;
  f: string;
  /** ok: the completion's value (authoritative; the invoke's when the completion has none); info: the invocation's. */
  value: unknown;
  /** Independent key: the invocation's `key`, else the completion's. */
  key?: unknown;
}

export interface FailedPair {
  invoke: Op;
  completion: Op;
}

export interface PairedHistory {
  /** ok and info operations, in invocation order. */
  pairs: OpPair[];
  /** Operations that definitely did not happen. */
  failed: FailedPair[];
  /** Ops outside any client operation: nemesis actions and info ops with no open invocation. */
  standalone: Op[];
}

export interface PairOptions {
  /** Maps an op to its place in the file, for error messages. */
  locate?: (op: Op) => SourcePosition;
}

/**
 * Pairs each invocation with the next completion of the same process (Knossos/Jepsen
 * semantics, see OpPairer): malformed histories are errors. Nemesis ops are never paired.
 */
export function pairOps(history: readonly Op[], opts: PairOptions = {}): PairedHistory {
  const pairer = new OpPairer<Op>(opts.locate);
  const slots: (OpPair | undefined)[] = [];
  const slotOf = new Map<ProcessId, number>();
  const failed: FailedPair[] = [];
  const standalone: Op[] = [];

  for (const op of history) {
    const invoke = pairer.accept(op);
    if (invoke === undefined) standalone.push(op);
    else if (invoke === null) {
      slotOf.set(op.process, slots.length);
      slots.push(undefined);
    } else if (op.type === 'fail') failed.push({ invoke, completion: op });
    else slots[slotOf.get(op.process)!] = makePair(invoke, op, op.type as 'ok' | 'info');
  }
  // Never-completed invocations: indeterminate, like an info at the end.
  for (const invoke of pairer.stillOpen()) slots[slotOf.get(invoke.process)!] = makePair(invoke, undefined, 'info');
  return { pairs: slots.filter((s): s is OpPair => s !== undefined), failed, standalone };
}

function makePair(invoke: Op, completion: Op | undefined, outcome: 'ok' | 'info'): OpPair {
  const value = outcome === 'ok' && completion && completion.value !== undefined ? completion.value : invoke.value;
  const pair: OpPair = { invoke, completion, outcome, process: invoke.process, f: invoke.f, value };
  const key = invoke.key !== undefined ? invoke.key : completion?.key;
  if (key !== undefined) pair.key = key;
  return pair;
}
