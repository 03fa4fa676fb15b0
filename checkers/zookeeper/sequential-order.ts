import type { Anomaly } from '../checker.js';
import { groupBy } from './reply-order.js';
import { describeRequest, parentOf, showZxid, type ZkHistory, type ZkRequest } from './zk-history.js';

interface Sequential {
  request: ZkRequest;
  suffix: number;
}

/**
 * Sequential znodes: the server appends the parent's change counter as a 10-digit suffix, so
 * under one parent suffixes are unique and grow with the zxid of the create, and a create that
 * starts after another finished gets a larger suffix.
 */
export function checkSequentialOrder(history: ZkHistory, anomalies: Anomaly[]): void {
  const created: Sequential[] = [];
  for (const r of history.requests) {
    if (!r.ok || r.f !== 'create' || !r.flags.includes('sequential') || r.path === undefined) continue;
    const m = /(\d{10})$/.exec(r.path);
    if (m) created.push({ request: r, suffix: Number(m[1]) });
  }
  for (const [parent, list] of groupBy(created, (s) => parentOf(s.request.path!))) {
    const bySuffix = groupBy(list, (s) => s.suffix);
    for (const [suffix, same] of bySuffix) {
      if (same.length > 1) {
        anomalies.push({
          type: 'zk-sequential-order',
          explanation: `Sequential suffix ${pad(suffix)} under ${parent} was given to ${same.length} creates (${same.map((s) => describeRequest(s.request)).join('; ')}): suffixes must be unique.`,
          ops: same.map((s) => s.request.reply!.index),
        });
      }
    }
    const withZxid = list.filter((s) => s.request.zxid !== undefined).sort((a, b) => (a.request.zxid! < b.request.zxid! ? -1 : 1));
    for (let i = 1; i < withZxid.length; i++) {
      const [a, b] = [withZxid[i - 1]!, withZxid[i]!];
      if (b.suffix < a.suffix) {
        anomalies.push({
          type: 'zk-sequential-order',
          explanation: `Under ${parent}, ${describeRequest(b.request)} at zxid ${showZxid(b.request.zxid!)} got suffix ${pad(b.suffix)}, not above ${pad(a.suffix)} of ${describeRequest(a.request)} at the earlier zxid ${showZxid(a.request.zxid!)}.`,
          ops: [a.request.reply!.index, b.request.reply!.index],
        });
      }
    }
    // Real time: sweep invocations and replies in history order.
    const events = list.flatMap((s) => [
      { at: s.request.invoke.index, s, reply: false },
      { at: s.request.reply!.index, s, reply: true },
    ]);
    events.sort((a, b) => a.at - b.at);
    let highest: Sequential | undefined;
    for (const e of events) {
      if (e.reply) {
        if (!highest || e.s.suffix > highest.suffix) highest = e.s;
      } else if (highest && e.s.suffix < highest.suffix) {
        anomalies.push({
          type: 'zk-sequential-order',
          explanation: `Under ${parent}, ${describeRequest(e.s.request)} started after ${describeRequest(highest.request)} had finished, yet got the smaller suffix ${pad(e.s.suffix)} (< ${pad(highest.suffix)}).`,
          ops: [highest.request.reply!.index, e.s.request.invoke.index, e.s.request.reply!.index],
        });
      }
    }
  }
}

function pad(n: number): string {
  return String(n).padStart(10, '0');
}
