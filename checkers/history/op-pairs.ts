import { malformed, type SourcePosition } from './history-error.js';
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
 * semantics). Processes are single-threaded: a second invocation while one is open is an
 * error, and so is invoking again after an info (Jepsen gives a crashed process a new id, and
 * the crashed op stays open to the end of the history). Nemesis ops are never paired.
 */
export function pairOps(history: readonly Op[], opts: PairOptions = {}): PairedHistory {
  const locate = opts.locate ?? (() => ({}));
  const open = new Map<ProcessId, Op>();
  const crashed = new Map<ProcessId, { invoke: Op; info: Op }>();
  const slots: (OpPair | undefined)[] = [];
  const slotOf = new Map<ProcessId, number>();
  const failed: FailedPair[] = [];
  const standalone: Op[] = [];

  for (const op of history) {
    if (op.process === 'nemesis') {
      standalone.push(op);
      continue;
    }
    const p = op.process;
    switch (op.type) {
      case 'invoke': {
        const running = open.get(p);
        if (running) {
          throw malformed(`process ${show(p)} invokes ${op.f} (op ${op.index}) while its ${running.f} (op ${running.index}) is still open; a process runs one op at a time`, locate(op));
        }
        const dead = crashed.get(p);
        if (dead) {
          throw malformed(`process ${show(p)} invokes ${op.f} (op ${op.index}) after its ${dead.invoke.f} (op ${dead.invoke.index}) crashed with info (op ${dead.info.index}); a crashed op stays open forever, so the client must continue under a new process id`, locate(op));
        }
        open.set(p, op);
        slotOf.set(p, slots.length);
        slots.push(undefined);
        break;
      }
      case 'ok':
      case 'fail':
      case 'info': {
        const invoke = open.get(p);
        if (!invoke) {
          if (op.type === 'info') {
            standalone.push(op);
            break;
          }
          const why = crashed.has(p) ? `its last op (op ${crashed.get(p)!.invoke.index}) already crashed with info` : 'it has no open invocation';
          throw malformed(`process ${show(p)} completes ${op.f} with ${op.type} (op ${op.index}) but ${why}`, locate(op));
        }
        if (invoke.f !== op.f) {
          throw malformed(`process ${show(p)} completes ${op.f} (op ${op.index}) but invoked ${invoke.f} (op ${invoke.index})`, locate(op));
        }
        open.delete(p);
        const slot = slotOf.get(p)!;
        if (op.type === 'fail') {
          failed.push({ invoke, completion: op });
          break;
        }
        if (op.type === 'info') crashed.set(p, { invoke, info: op });
        slots[slot] = makePair(invoke, op, op.type);
        break;
      }
    }
  }
  // Never-completed invocations: indeterminate, like an info at the end.
  for (const [p, invoke] of open) slots[slotOf.get(p)!] = makePair(invoke, undefined, 'info');
  return { pairs: slots.filter((s): s is OpPair => s !== undefined), failed, standalone };
}

function makePair(invoke: Op, completion: Op | undefined, outcome: 'ok' | 'info'): OpPair {
  const value = outcome === 'ok' && completion && completion.value !== undefined ? completion.value : invoke.value;
  const pair: OpPair = { invoke, completion, outcome, process: invoke.process, f: invoke.f, value };
  const key = invoke.key !== undefined ? invoke.key : completion?.key;
  if (key !== undefined) pair.key = key;
  return pair;
}

function show(p: ProcessId): string {
  return typeof p === 'string' ? JSON.stringify(p) : String(p);
}
