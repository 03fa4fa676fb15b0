import { codeName } from '../keeper-error.js';
import { DataTree } from '../tree/data-tree.js';
import { TxnType, type Txn, type TxnEntry } from '../tree/txn.js';
import { readSnapshot } from './snapshot.js';
import { readLogFile, type LogReadResult } from './txn-log.js';

/**
 * Human-readable and JSON dumps of our log and snapshot files (`kzbench zk txnlog|snapshot`),
 * in the spirit of Apache's LogFormatter and SnapshotFormatter.
 */
const TYPE_NAMES: Record<number, string> = {
  [TxnType.error]: 'error',
  [TxnType.create]: 'create',
  [TxnType.delete]: 'delete',
  [TxnType.setData]: 'setData',
  [TxnType.setACL]: 'setACL',
  [TxnType.check]: 'check',
  [TxnType.multi]: 'multi',
  [TxnType.create2]: 'create2',
  [TxnType.createContainer]: 'createContainer',
  [TxnType.deleteContainer]: 'deleteContainer',
  [TxnType.createTTL]: 'createTTL',
  [TxnType.createSession]: 'createSession',
  [TxnType.closeSession]: 'closeSession',
};

export function hex(n: number | bigint): string {
  return `0x${(typeof n === 'bigint' ? BigInt.asUintN(64, n) : n).toString(16)}`;
}

function dataText(data: Uint8Array | null): string | null {
  if (data === null) return null;
  const s = Buffer.from(data).toString('utf8');
  // Binary data is shown as base64 so dumps stay one line per record.
  return /^[\x20-\x7e]*$/.test(s) ? s : `base64:${Buffer.from(data).toString('base64')}`;
}

export function txnToJson(txn: Txn): Record<string, unknown> {
  const type = TYPE_NAMES[txn.type] ?? String(txn.type);
  switch (txn.type) {
    case TxnType.create:
    case TxnType.create2:
    case TxnType.createContainer:
    case TxnType.createTTL:
      return {
        type,
        path: txn.path,
        data: dataText(txn.data),
        acl: txn.acl.map((a) => `${a.id.scheme}:${a.id.id}:${a.perms}`),
        ephemeralOwner: hex(txn.ephemeralOwner),
        parentCVersion: txn.parentCVersion,
      };
    case TxnType.delete:
    case TxnType.deleteContainer:
      return { type, path: txn.path };
    case TxnType.setData:
      return { type, path: txn.path, data: dataText(txn.data), version: txn.version };
    case TxnType.setACL:
      return { type, path: txn.path, acl: txn.acl.map((a) => `${a.id.scheme}:${a.id.id}:${a.perms}`), version: txn.version };
    case TxnType.check:
      return { type, path: txn.path, version: txn.version };
    case TxnType.error:
      return { type, err: txn.err, code: codeName(txn.err) };
    case TxnType.createSession:
      return { type, timeout: txn.timeout };
    case TxnType.closeSession:
      return { type, paths: txn.paths };
    case TxnType.multi:
      return { type, txns: txn.txns.map(txnToJson) };
  }
}

export function entryToJson(entry: TxnEntry): Record<string, unknown> {
  const h = entry.header;
  return { zxid: hex(h.zxid), time: new Date(h.time).toISOString(), session: hex(h.sessionId), cxid: hex(h.cxid >>> 0), ...txnToJson(entry.txn) };
}

export function entryToLine(entry: TxnEntry): string {
  const j = entryToJson(entry);
  const { zxid, time, session, cxid, type, ...rest } = j;
  return `${time as string} session ${session as string} cxid ${cxid as string} zxid ${zxid as string} ${type as string} ${JSON.stringify(rest)}`;
}

export function dumpTxnLog(file: string, json: boolean, out: (line: string) => void): LogReadResult & { count: number } {
  let count = 0;
  const result = readLogFile(file, (entry) => {
    count++;
    out(json ? JSON.stringify(entryToJson(entry)) : entryToLine(entry));
  });
  return { ...result, count };
}

export function dumpSnapshot(file: string, json: boolean, out: (line: string) => void): { nodeCount: number; sessions: number; lastZxid: number } {
  const tree = new DataTree({ extendedTypesEnabled: true, emulate353TtlNodes: false });
  const loaded = readSnapshot(file, tree, (path, node) => {
    const record = {
      path,
      czxid: hex(node.czxid),
      ctime: new Date(node.ctime).toISOString(),
      mzxid: hex(node.mzxid),
      mtime: new Date(node.mtime).toISOString(),
      pzxid: hex(node.pzxid),
      cversion: node.cversion,
      dataVersion: node.version,
      aclVersion: node.aversion,
      ephemeralOwner: hex(node.ephemeralOwner),
      dataLength: node.dataLength,
      acl: node.acl.map((a) => `${a.id.scheme}:${a.id.id}:${a.perms}`),
    };
    if (json) out(JSON.stringify(record));
    else {
      out(path);
      for (const [k, v] of Object.entries(record)) if (k !== 'path') out(`  ${k} = ${Array.isArray(v) ? v.join(',') : String(v)}`);
    }
  });
  const summary = { nodeCount: loaded.nodeCount, sessions: loaded.sessions.length, lastZxid: loaded.lastZxid };
  if (json) out(JSON.stringify({ summary: { ...summary, lastZxid: hex(loaded.lastZxid), endZxid: hex(loaded.endZxid), sessionIds: loaded.sessions.map((s) => ({ id: hex(s.id), timeout: s.timeout })) } }));
  else {
    out(`Session Details (sid, timeout, ephemeralCount): ${loaded.sessions.length} sessions`);
    for (const s of loaded.sessions) out(`${hex(s.id)}, ${s.timeout}`);
    out(`Last zxid at start: ${hex(loaded.lastZxid)}; last zxid seen while writing: ${hex(loaded.endZxid)}; ${loaded.nodeCount} znodes`);
  }
  return summary;
}
