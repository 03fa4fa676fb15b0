import type { Op } from '../../checkers/history/op.js';

/** What one client op looked like on the wire, for ZooKeeper's session rules. */
export interface ZkRequestTrace {
  /** The request as the session checker names it (`get`, `set`, `create`, ...). */
  f: 'get' | 'set' | 'exists' | 'create' | 'delete' | 'children' | 'sync';
  path: string;
  /** The session's label (`c3`): several ops of a worker share one until it crashes. */
  client: string;
  /** Session id, hex. */
  session?: string;
  /** The reply header's zxid; undefined when no reply came. */
  zxid?: bigint;
  /** What the reply said: `exists`, `mzxid`, `czxid`, `ephemeralOwner`, `children`, `path`. */
  result?: Record<string, unknown>;
  replied: 'ok' | 'fail' | 'none';
}

/**
 * The wire facts the runner's history does not carry (session, zxids, stats), kept beside
 * it: each process's ops in order. `sessionHistory` joins them back to the recorded history
 * (a process runs one op at a time, so its k-th invocation is its k-th traced op), producing
 * the op shapes of the ZooKeeper session-rule checker under the same indices as
 * history.jsonl, so its anomalies point at real ops.
 */
export class ZkSessionTrace {
  private readonly byProcess = new Map<number, ZkRequestTrace[]>();

  record(process: number, trace: ZkRequestTrace): void {
    let list = this.byProcess.get(process);
    if (!list) this.byProcess.set(process, (list = []));
    list.push(trace);
  }

  get size(): number {
    let n = 0;
    for (const list of this.byProcess.values()) n += list.length;
    return n;
  }

  sessionHistory(history: readonly Op[]): Op[] {
    const invokes = new Map<number, number>();
    const open = new Map<number, { trace: ZkRequestTrace | undefined; client: string | undefined }>();
    const out: Op[] = [];
    for (const op of history) {
      if (typeof op.process !== 'number') continue;
      const p = op.process;
      if (op.type === 'invoke') {
        const k = invokes.get(p) ?? 0;
        invokes.set(p, k + 1);
        const trace = this.byProcess.get(p)?.[k];
        open.set(p, { trace, client: trace?.client });
        if (!trace) continue;
        out.push({ index: op.index, time: op.time, process: p, type: 'invoke', f: trace.f, value: { path: trace.path }, client: trace.client });
        continue;
      }
      const pending = open.get(p);
      open.delete(p);
      const trace = pending?.trace;
      if (!trace) continue;
      // The recorded outcome decides whether the process went on (fail) or crashed (info);
      // a reply the workload still counted as failed (a read whose quorum check failed) stays ok.
      const type = trace.replied === 'ok' ? 'ok' : op.type === 'info' ? 'info' : 'fail';
      const completion: Op = { index: op.index, time: op.time, process: p, type, f: trace.f, value: trace.result ?? {}, client: trace.client };
      if (trace.session !== undefined) completion.session = trace.session;
      if (trace.zxid !== undefined && trace.replied !== 'none') completion.zxid = `0x${trace.zxid.toString(16)}`;
      out.push(completion);
    }
    return out;
  }
}
