import type { Acl } from './acl.js';

/**
 * A transaction: one state change, decided by request processing and applied to the DataTree,
 * written to the transaction log before it is acknowledged, and replayed on recovery. The
 * shapes follow Apache's `org.apache.zookeeper.txn` records; `type` is Apache's OpCode.
 * Every field holds the outcome, not the request (versions, cversions and owners are
 * absolute), so replaying a txn over a fuzzy snapshot converges to the same tree.
 */
export const TxnType = {
  error: -1,
  create: 1,
  delete: 2,
  setData: 5,
  setACL: 7,
  check: 13,
  multi: 14,
  create2: 15,
  createContainer: 19,
  deleteContainer: 20,
  createTTL: 21,
  createSession: -10,
  closeSession: -11,
} as const;

export interface TxnHeader {
  sessionId: bigint;
  cxid: number;
  zxid: number;
  time: number;
  type: number;
}

export type CreateOp = typeof TxnType.create | typeof TxnType.create2 | typeof TxnType.createContainer | typeof TxnType.createTTL;

export interface CreateTxn {
  type: CreateOp;
  path: string;
  data: Uint8Array | null;
  acl: readonly Acl[];
  /** Session id, container marker or TTL encoding; 0 for a persistent node. */
  ephemeralOwner: bigint;
  parentCVersion: number;
}
export interface DeleteTxn {
  type: typeof TxnType.delete | typeof TxnType.deleteContainer;
  path: string;
}
export interface SetDataTxn {
  type: typeof TxnType.setData;
  path: string;
  data: Uint8Array | null;
  version: number;
}
export interface SetAclTxn {
  type: typeof TxnType.setACL;
  path: string;
  acl: readonly Acl[];
  version: number;
}
export interface CheckTxn {
  type: typeof TxnType.check;
  path: string;
  version: number;
}
export interface ErrorTxn {
  type: typeof TxnType.error;
  err: number;
}
export interface MultiTxn {
  type: typeof TxnType.multi;
  txns: Txn[];
}
export interface CreateSessionTxn {
  type: typeof TxnType.createSession;
  timeout: number;
}
export interface CloseSessionTxn {
  type: typeof TxnType.closeSession;
  paths: string[];
}

export type Txn =
  | CreateTxn
  | DeleteTxn
  | SetDataTxn
  | SetAclTxn
  | CheckTxn
  | ErrorTxn
  | MultiTxn
  | CreateSessionTxn
  | CloseSessionTxn;

/** A logged transaction: header plus body. */
export interface TxnEntry {
  header: TxnHeader;
  txn: Txn;
}
