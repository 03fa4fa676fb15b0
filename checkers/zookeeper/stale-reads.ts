import type { Anomaly } from '../checker.js';
import { describeRequest, showZxid, zxidField, type ZkHistory, type ZkRequest } from './zk-history.js';
import type { ZnodeWrites } from './znode-writes.js';

/**
 * Sequential consistency of a client's reads: once a client has seen zxid z (in any reply or
 * event), a read of a znode must show its state as of z or later; a client never reads older
 * state than it has seen (this includes reading its own writes). A `get` or `exists` reply
 * shows the znode's state through `exists` and `mzxid`.
 */
export function checkStaleReads(history: ZkHistory, writes: ZnodeWrites, anomalies: Anomaly[]): void {
  const seen = new ClientHorizons(history);
  for (const r of history.requests) {
    if (!r.ok || r.path === undefined || !(r.f === 'get' || r.f === 'exists')) continue;
    const horizon = seen.before(r.client, r.invoke.index);
    if (!horizon) continue;
    const expected = writes.lastAtOrBefore(r.path, horizon.zxid);
    if (!expected) continue;
    const exists = readExists(r);
    if (exists === undefined) continue;
    const mzxid = zxidField(r.result, 'mzxid', r.reply!);
    let stale = false;
    if (exists && mzxid !== undefined) stale = mzxid < expected.zxid || (!expected.exists && mzxid <= expected.zxid);
    else if (!exists && expected.exists) {
      // Gone is fine if some delete, acknowledged later or unacknowledged, could explain it.
      stale = writes.firstAfter(r.path, expected.zxid, 'delete') === undefined && writes.uncertain(r.path, r.reply!.index).every((w) => w.f !== 'delete');
    }
    if (!stale) continue;
    const shown = exists ? `version with mzxid ${mzxid === undefined ? '?' : showZxid(mzxid)}` : 'no znode';
    anomalies.push({
      type: 'zk-stale-read',
      explanation: `${capitalise(describeRequest(r))} returned ${shown}, older than what client ${r.client} had already seen: it had seen zxid ${showZxid(horizon.zxid)} (op ${horizon.op}), which includes ${writes.describe(expected)}.`,
      ops: [r.invoke.index, r.reply!.index, horizon.op, expected.request.reply!.index],
    });
  }
}

function readExists(r: ZkRequest): boolean | undefined {
  if (typeof r.result.exists === 'boolean') return r.result.exists;
  return undefined;
}

/** The highest zxid each client had received before a given point of the history. */
class ClientHorizons {
  private readonly timeline = new Map<string, { at: number; zxid: bigint; op: number }[]>();

  constructor(history: ZkHistory) {
    const add = (client: string, at: number, zxid: bigint) => {
      let list = this.timeline.get(client);
      if (!list) this.timeline.set(client, (list = []));
      list.push({ at, zxid, op: at });
    };
    for (const r of history.requests) if (r.reply && r.zxid !== undefined) add(r.client, r.reply.index, r.zxid);
    for (const e of history.events) if (e.zxid !== undefined && e.zxid >= 0n) add(e.client, e.op.index, e.zxid);
    for (const list of this.timeline.values()) list.sort((a, b) => a.at - b.at);
  }

  before(client: string, index: number): { zxid: bigint; op: number } | undefined {
    let best: { zxid: bigint; op: number } | undefined;
    for (const o of this.timeline.get(client) ?? []) {
      if (o.at >= index) break;
      if (!best || o.zxid > best.zxid) best = { zxid: o.zxid, op: o.op };
    }
    return best;
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
