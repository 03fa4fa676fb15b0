import { JuteReader, JuteWriter, record, ACL, int, long, buffer, ustring, vector, bool } from '../../../protocols/zookeeper/index.js';
import { TxnType, type Txn, type TxnEntry, type TxnHeader } from '../tree/txn.js';

/**
 * The records of our transaction log and snapshots, described once with the jute schema
 * compiler (the same one the wire codec uses). They follow Apache's `org.apache.zookeeper.txn`
 * records, with one CreateTxn for every create kind (it carries the ephemeralOwner itself).
 * The on-disk layout around them is documented in docs/server-zookeeper.md.
 */
export const TxnHeaderRecord = record('TxnHeader', { clientId: long, cxid: int, zxid: long, time: long, type: int });
export const CreateTxnRecord = record('CreateTxn', {
  path: ustring,
  data: buffer,
  acl: vector(ACL),
  ephemeralOwner: long,
  parentCVersion: int,
});
export const DeleteTxnRecord = record('DeleteTxn', { path: ustring });
export const SetDataTxnRecord = record('SetDataTxn', { path: ustring, data: buffer, version: int });
export const SetACLTxnRecord = record('SetACLTxn', { path: ustring, acl: vector(ACL), version: int });
export const CheckVersionTxnRecord = record('CheckVersionTxn', { path: ustring, version: int });
export const ErrorTxnRecord = record('ErrorTxn', { err: int });
export const CreateSessionTxnRecord = record('CreateSessionTxn', { timeOut: int });
export const CloseSessionTxnRecord = record('CloseSessionTxn', { paths2Delete: vector(ustring) });

/** A znode in a snapshot: Apache's StatPersisted plus data and the index of its ACL list. */
export const SnapshotNodeRecord = record('SnapshotNode', {
  path: ustring,
  data: buffer,
  aclIndex: int,
  czxid: long,
  mzxid: long,
  ctime: long,
  mtime: long,
  version: int,
  cversion: int,
  aversion: int,
  ephemeralOwner: long,
  pzxid: long,
});
export const SnapshotSessionRecord = record('SnapshotSession', { id: long, timeOut: int });
export const SnapshotHeaderRecord = record('SnapshotHeader', { magic: int, version: int, lastZxid: long, time: long });
export const LogFileHeaderRecord = record('LogFileHeader', { magic: int, version: int, dbid: long });
export const SnapshotTrailerRecord = record('SnapshotTrailer', { nodeCount: int, sessionCount: int, complete: bool, endZxid: long });
export const SnapshotAclRecord = record('SnapshotAcl', { index: int, acl: vector(ACL) });

export function encodeTxnBody(w: JuteWriter, txn: Txn): void {
  switch (txn.type) {
    case TxnType.create:
    case TxnType.create2:
    case TxnType.createContainer:
    case TxnType.createTTL:
      CreateTxnRecord.encode(w, {
        path: txn.path,
        data: toBuffer(txn.data),
        acl: txn.acl as ACL[],
        ephemeralOwner: txn.ephemeralOwner,
        parentCVersion: txn.parentCVersion,
      });
      return;
    case TxnType.delete:
    case TxnType.deleteContainer:
      DeleteTxnRecord.encode(w, { path: txn.path });
      return;
    case TxnType.setData:
      SetDataTxnRecord.encode(w, { path: txn.path, data: toBuffer(txn.data), version: txn.version });
      return;
    case TxnType.setACL:
      SetACLTxnRecord.encode(w, { path: txn.path, acl: txn.acl as ACL[], version: txn.version });
      return;
    case TxnType.check:
      CheckVersionTxnRecord.encode(w, { path: txn.path, version: txn.version });
      return;
    case TxnType.error:
      ErrorTxnRecord.encode(w, { err: txn.err });
      return;
    case TxnType.createSession:
      CreateSessionTxnRecord.encode(w, { timeOut: txn.timeout });
      return;
    case TxnType.closeSession:
      CloseSessionTxnRecord.encode(w, { paths2Delete: txn.paths });
      return;
    case TxnType.multi:
      // A count, then each sub-txn as its type and body (no nested length: bodies are self-delimiting).
      w.int(txn.txns.length);
      for (const sub of txn.txns) {
        w.int(sub.type);
        encodeTxnBody(w, sub);
      }
      return;
  }
}

export function decodeTxnBody(r: JuteReader, type: number): Txn {
  switch (type) {
    case TxnType.create:
    case TxnType.create2:
    case TxnType.createContainer:
    case TxnType.createTTL: {
      const v = CreateTxnRecord.decode(r);
      return { type, path: v.path, data: v.data, acl: v.acl, ephemeralOwner: v.ephemeralOwner, parentCVersion: v.parentCVersion };
    }
    case TxnType.delete:
    case TxnType.deleteContainer:
      return { type, path: DeleteTxnRecord.decode(r).path };
    case TxnType.setData: {
      const v = SetDataTxnRecord.decode(r);
      return { type, path: v.path, data: v.data, version: v.version };
    }
    case TxnType.setACL: {
      const v = SetACLTxnRecord.decode(r);
      return { type, path: v.path, acl: v.acl, version: v.version };
    }
    case TxnType.check: {
      const v = CheckVersionTxnRecord.decode(r);
      return { type, path: v.path, version: v.version };
    }
    case TxnType.error:
      return { type, err: ErrorTxnRecord.decode(r).err };
    case TxnType.createSession:
      return { type, timeout: CreateSessionTxnRecord.decode(r).timeOut };
    case TxnType.closeSession:
      return { type, paths: CloseSessionTxnRecord.decode(r).paths2Delete };
    case TxnType.multi: {
      const n = r.nonNullVectorCount(4, 'MultiTxn.txns');
      const txns: Txn[] = [];
      for (let i = 0; i < n; i++) {
        const subType = r.int();
        if (subType === TxnType.multi) throw new Error('nested multi txn in log');
        txns.push(decodeTxnBody(r, subType));
      }
      return { type, txns };
    }
    default:
      throw new Error(`unknown txn type ${type} in log`);
  }
}

export function encodeTxnEntry(w: JuteWriter, entry: TxnEntry): void {
  const h = entry.header;
  TxnHeaderRecord.encode(w, { clientId: h.sessionId, cxid: h.cxid, zxid: BigInt(h.zxid), time: BigInt(h.time), type: h.type });
  encodeTxnBody(w, entry.txn);
}

export function decodeTxnEntry(r: JuteReader): TxnEntry {
  const h = TxnHeaderRecord.decode(r);
  const header: TxnHeader = { sessionId: h.clientId, cxid: h.cxid, zxid: Number(h.zxid), time: Number(h.time), type: h.type };
  return { header, txn: decodeTxnBody(r, h.type) };
}

function toBuffer(data: Uint8Array | null): Buffer | null {
  if (data === null) return null;
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

export { JuteReader, JuteWriter };
