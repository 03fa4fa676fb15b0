import type { Anomaly } from '../checker.js';
import { describeRequest, parentOf, showZxid, zxidField, type ZkHistory, type ZkRequest } from './zk-history.js';

/**
 * Ephemeral znodes go with their session: once a session is known to be over (its client got
 * a session-expired event, or its close was acknowledged), a read that starts later must not
 * find an ephemeral znode that session created (unless someone created that path again).
 */
export function checkEphemeralCleanup(history: ZkHistory, anomalies: Anomaly[]): void {
  for (const create of history.requests) {
    if (!create.ok || create.f !== 'create' || !create.flags.includes('ephemeral') || create.path === undefined || create.session === undefined) continue;
    const end = sessionEnd(history, create);
    if (!end) continue;
    const path = create.path;
    const name = path.slice(path.lastIndexOf('/') + 1);
    const recreated = history.requests.some((r) => r !== create && r.f === 'create' && r.path === path && (!r.reply || (r.ok && (r.zxid === undefined || create.zxid === undefined || r.zxid > create.zxid))));
    for (const read of history.requests) {
      if (!read.ok || read.invoke.index < end.at) continue;
      let leaked = false;
      if ((read.f === 'get' || read.f === 'exists') && read.path === path && read.result.exists === true) {
        const owner = read.result.ephemeralOwner;
        const czxid = zxidField(read.result, 'czxid', read.reply!);
        if (owner !== undefined && owner !== null) leaked = sameSession(String(owner), create.session);
        else if (czxid !== undefined && create.zxid !== undefined) leaked = czxid === create.zxid;
        else leaked = !recreated;
      } else if (read.f === 'children' && read.path === parentOf(path) && Array.isArray(read.result.children)) {
        leaked = !recreated && (read.result.children as unknown[]).includes(name);
      }
      if (!leaked) continue;
      anomalies.push({
        type: 'zk-ephemeral-leak',
        explanation: `${capitalise(describeRequest(read))} still found the ephemeral ${path}, created by session ${create.session}${create.zxid !== undefined ? ` at zxid ${showZxid(create.zxid)}` : ''} (op ${create.reply!.index}), although that session had ended (${end.what}, op ${end.at}) before the read began.`,
        ops: [create.reply!.index, end.at, read.invoke.index, read.reply!.index],
      });
      break; // one report per ephemeral is enough
    }
  }
}

function sessionEnd(history: ZkHistory, create: ZkRequest): { at: number; what: string } | undefined {
  let end: { at: number; what: string } | undefined;
  for (const e of history.events) {
    if (e.f !== 'session-expired') continue;
    const matches = e.session !== undefined ? sameSession(e.session, create.session!) : e.client === create.client && e.op.index > create.reply!.index;
    if (matches && (!end || e.op.index < end.at)) end = { at: e.op.index, what: `client ${e.client} was told the session expired` };
  }
  for (const r of history.requests) {
    if (r.f === 'close' && r.ok && r.session !== undefined && sameSession(r.session, create.session!) && (!end || r.reply!.index < end.at)) {
      end = { at: r.reply!.index, what: `client ${r.client} closed it` };
    }
  }
  return end;
}

/** Session ids may be written in decimal or hex. */
function sameSession(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return BigInt(a) === BigInt(b);
  } catch {
    return false;
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
