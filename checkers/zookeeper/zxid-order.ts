import type { Anomaly } from '../checker.js';
import { groupBy } from './reply-order.js';
import { showZxid, type ZkHistory } from './zk-history.js';

interface Observation {
  at: number;
  zxid: bigint;
  what: string;
  op: number;
}

/**
 * Monotone zxids per session: every reply header (and watch event) carries the zxid of the
 * server's state, and a session never moves back in time, even across a reconnect to another
 * server (the client sends its last zxid and a server behind it refuses the connection).
 */
export function checkZxidOrder(history: ZkHistory, anomalies: Anomaly[]): void {
  const observations: (Observation & { session: string })[] = [];
  for (const r of history.requests) {
    if (r.reply && r.zxid !== undefined) {
      observations.push({ session: r.session ?? `client ${r.client}`, at: r.reply.index, zxid: r.zxid, what: `the reply to ${r.f} ${r.path ?? ''}`.trimEnd(), op: r.reply.index });
    }
  }
  for (const e of history.events) {
    if (e.f === 'watch' && e.zxid !== undefined && e.zxid >= 0n) {
      observations.push({ session: e.session ?? `client ${e.client}`, at: e.op.index, zxid: e.zxid, what: `the ${e.type ?? 'watch'} event for ${e.path ?? '?'}`, op: e.op.index });
    }
  }
  for (const [session, seen] of groupBy(observations, (o) => o.session)) {
    seen.sort((a, b) => a.at - b.at);
    let high: Observation | undefined;
    for (const o of seen) {
      if (high && o.zxid < high.zxid) {
        anomalies.push({
          type: 'zk-zxid-regression',
          explanation: `Session ${session} saw zxid ${showZxid(o.zxid)} in ${o.what} (op ${o.op}) after zxid ${showZxid(high.zxid)} in ${high.what} (op ${high.op}): a session's view of the data went back in time.`,
          ops: [o.op, high.op],
        });
      }
      if (!high || o.zxid > high.zxid) high = o;
    }
  }
}
