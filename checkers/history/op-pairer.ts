import { malformed, type SourcePosition } from './history-error.js';
import type { OpType, ProcessId } from './op.js';

/** What pairing needs of an op. */
export interface PairableOp {
  index: number;
  process: ProcessId;
  type: OpType;
  f: string;
}

/**
 * Knossos/Jepsen pairing, one op at a time, so a history can be paired while it streams in:
 * each invocation pairs with the next completion of the same process. Processes are
 * single-threaded: a second invocation while one is open is an error, and so is invoking
 * again after an info (Jepsen gives a crashed process a new id; the crashed op stays open
 * to the end of the history). Nemesis ops, and infos with no open invocation, stand alone.
 */
export class OpPairer<T extends PairableOp> {
  private readonly open = new Map<ProcessId, T>();
  private readonly crashed = new Map<ProcessId, { invoke: T; info: T }>();

  constructor(private readonly locate: (op: T) => SourcePosition = () => ({})) {}

  /**
   * Takes the next op. Returns the invocation a completion completes, `null` for an
   * invocation, `undefined` for an op that stands alone.
   */
  accept(op: T): T | null | undefined {
    const p = op.process;
    if (p === 'nemesis') return undefined;
    if (op.type === 'invoke') {
      const running = this.open.get(p);
      if (running) {
        throw malformed(`process ${show(p)} invokes ${op.f} (op ${op.index}) while its ${running.f} (op ${running.index}) is still open; a process runs one op at a time`, this.locate(op));
      }
      const dead = this.crashed.get(p);
      if (dead) {
        throw malformed(
          `process ${show(p)} invokes ${op.f} (op ${op.index}) after its ${dead.invoke.f} (op ${dead.invoke.index}) crashed with info (op ${dead.info.index}); a crashed op stays open forever, so the client must continue under a new process id`,
          this.locate(op),
        );
      }
      this.open.set(p, op);
      return null;
    }
    const invoke = this.open.get(p);
    if (!invoke) {
      if (op.type === 'info') return undefined;
      const dead = this.crashed.get(p);
      const why = dead ? `its last op (op ${dead.invoke.index}) already crashed with info` : 'it has no open invocation';
      throw malformed(`process ${show(p)} completes ${op.f} with ${op.type} (op ${op.index}) but ${why}`, this.locate(op));
    }
    if (invoke.f !== op.f) {
      throw malformed(`process ${show(p)} completes ${op.f} (op ${op.index}) but invoked ${invoke.f} (op ${invoke.index})`, this.locate(op));
    }
    this.open.delete(p);
    if (op.type === 'info') this.crashed.set(p, { invoke, info: op });
    return invoke;
  }

  /** Invocations not completed (yet), in invocation order. */
  stillOpen(): T[] {
    return [...this.open.values()];
  }
}

function show(p: ProcessId): string {
  return typeof p === 'string' ? JSON.stringify(p) : String(p);
}
