import type { Anomaly } from '../checker.js';
import { describeRequest, parentOf, showZxid, zxidField, type ZkEvent, type ZkHistory, type ZkRequest } from './zk-history.js';
import type { ZnodeWrite, ZnodeWrites } from './znode-writes.js';

/**
 * Watch before data: "a client will see a watch event for a znode it is watching before
 * seeing the new data that corresponds to that znode" (ZooKeeper Programmer's Guide). A read
 * with `watch: true` sets a watch when the server answers it (at the reply's zxid, or failing
 * that at the version it returned); the first
 * acknowledged change after that zxid triggers it (for `children`, a create or delete of a
 * child). Any read by the same client that shows that change must come after the client's
 * watch event for the path.
 */
export function checkWatchOrder(history: ZkHistory, writes: ZnodeWrites, anomalies: Anomaly[]): void {
  const childChanges = collectChildChanges(history.requests);
  for (const watcher of history.requests) {
    if (!watcher.ok || !watcher.watch || watcher.path === undefined) continue;
    const path = watcher.path;
    const childWatch = watcher.f === 'children';
    const setAt = watchSetAt(watcher);
    if (setAt === undefined) continue;
    const trigger = childWatch ? firstAfter(childChanges.get(path) ?? [], setAt) : writes.firstAfter(path, setAt);
    if (!trigger) continue;
    const from = watcher.reply!.index;
    const event = history.events.find((e) => e.f === 'watch' && e.client === watcher.client && e.path === path && e.op.index > from);
    const expiry = history.events.find((e) => e.f === 'session-expired' && e.client === watcher.client && e.op.index > from);
    const until = Math.min(event?.op.index ?? Infinity, expiry?.op.index ?? Infinity);
    const early = history.requests.find(
      (r) => r.ok && r.client === watcher.client && r.reply!.index > from && r.reply!.index < until && r.path === path && showsChange(r, trigger, childWatch),
    );
    if (!early) continue;
    anomalies.push({
      type: 'zk-watch-order',
      explanation: `Client ${watcher.client} saw ${describeChange(trigger)} in ${describeRequest(early)} ${eventText(event)} for the watch its ${describeRequest(watcher)} set: a client must get the watch event before it sees the new data.`,
      ops: [watcher.reply!.index, trigger.request.reply!.index, early.reply!.index, ...(event ? [event.op.index] : [])],
    });
  }
}

/**
 * The zxid the watch was set at: the reply header's. Clients that do not expose it still give
 * the version the read returned (mzxid, or pzxid for children); every change of that znode the
 * server had applied when it answered is in that version, so the first change after it is the
 * one that fires the watch.
 */
function watchSetAt(watcher: ZkRequest): bigint | undefined {
  if (watcher.zxid !== undefined) return watcher.zxid;
  const observed = zxidField(watcher.result, watcher.f === 'children' ? 'pzxid' : 'mzxid', watcher.reply!);
  return watcher.f !== 'children' && watcher.result.exists !== true ? undefined : observed;
}

function eventText(event: ZkEvent | undefined): string {
  return event ? `before the ${event.type ?? 'watch'} event (op ${event.op.index})` : 'and never got the watch event';
}

function describeChange(w: ZnodeWrite): string {
  return `the ${w.request.f} of ${w.request.path} at zxid ${showZxid(w.zxid)} (op ${w.request.reply!.index})`;
}

/** Does a read's reply reflect the change? */
function showsChange(r: ZkRequest, change: ZnodeWrite, childWatch: boolean): boolean {
  if (childWatch) {
    if (r.f !== 'children' || !Array.isArray(r.result.children)) return false;
    const pzxid = zxidField(r.result, 'pzxid', r.reply!);
    if (pzxid !== undefined) return pzxid >= change.zxid;
    const name = change.request.path!.slice(change.request.path!.lastIndexOf('/') + 1);
    return (r.result.children as unknown[]).includes(name) === change.exists;
  }
  if (r.f !== 'get' && r.f !== 'exists') return false;
  const exists = r.result.exists;
  if (exists === false) return !change.exists;
  const mzxid = zxidField(r.result, 'mzxid', r.reply!);
  return exists === true && mzxid !== undefined && mzxid >= change.zxid;
}

function collectChildChanges(requests: readonly ZkRequest[]): Map<string, ZnodeWrite[]> {
  const out = new Map<string, ZnodeWrite[]>();
  for (const r of requests) {
    if (!r.ok || r.zxid === undefined || r.path === undefined || (r.f !== 'create' && r.f !== 'delete')) continue;
    const parent = parentOf(r.path);
    let list = out.get(parent);
    if (!list) out.set(parent, (list = []));
    list.push({ request: r, zxid: r.zxid, exists: r.f === 'create' });
  }
  return out;
}

function firstAfter(list: readonly ZnodeWrite[], zxid: bigint): ZnodeWrite | undefined {
  let best: ZnodeWrite | undefined;
  for (const w of list) if (w.zxid > zxid && (!best || w.zxid < best.zxid)) best = w;
  return best;
}
