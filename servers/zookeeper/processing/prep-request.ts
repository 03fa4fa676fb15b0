import { OpCode, type CreateRequest, type CreateTTLRequest, type MultiOp } from '../../../protocols/zookeeper/index.js';
import type { AclChecker } from '../auth/acl-checker.js';
import { Code, KeeperError } from '../keeper-error.js';
import type { QuotaEnforcer } from '../quota/quota-enforcer.js';
import type { SessionTracker } from '../session/session-tracker.js';
import { Perms, type Acl, type Id } from '../tree/acl.js';
import type { DataTree } from '../tree/data-tree.js';
import { CONTAINER_EPHEMERAL_OWNER, ephemeralKind, isValidTtl, ttlToEphemeralOwner, type EphemeralTypeOptions } from '../tree/ephemeral-type.js';
import { isValidPath } from '../tree/path-validation.js';
import { nextVersion } from '../tree/stat.js';
import { TxnType, type Txn } from '../tree/txn.js';
import { MultiOverlay, treeView, type TreeView } from './tree-view.js';

export interface PrepContext {
  tree: DataTree;
  acl: AclChecker;
  sessions: SessionTracker;
  quota: QuotaEnforcer;
  ephemeralTypes: EphemeralTypeOptions;
  reconfigEnabled: boolean;
}

/** Who is asking: the session and the ids it authenticated as. */
export interface Requester {
  readonly sessionId: bigint;
  readonly authInfo: readonly Id[];
}

/** The single owner every standalone connection shares (Apache's `ServerCnxn.me`). */
export const LOCAL_OWNER = Object.freeze({ owner: 'standalone' });

/**
 * Turns a write request into the txn that will be logged and applied (Apache's
 * `PrepRequestProcessor.pRequest2Txn`), checking everything in Apache's order so each failure
 * is reported with the same code. Throws KeeperError; the caller logs an ErrorTxn then.
 */
export function prepWrite(ctx: PrepContext, type: number, body: unknown, who: Requester, view: TreeView = treeView(ctx.tree)): Txn {
  switch (type) {
    case OpCode.create:
    case OpCode.create2:
    case OpCode.createContainer:
    case OpCode.createTTL:
      return prepCreate(ctx, type, body as CreateRequest | CreateTTLRequest, who, view);
    case OpCode.delete: {
      const { path, version } = body as { path: string; version: number };
      ctx.sessions.checkSession(who.sessionId, LOCAL_OWNER);
      const parentPath = parentPathAndValidate(ctx, path);
      const parent = view.get(parentPath);
      if (parent === undefined) throw new KeeperError(Code.NONODE, parentPath);
      ctx.acl.check(parent.acl, Perms.DELETE, who.authInfo);
      const node = view.get(path);
      if (node === undefined) throw new KeeperError(Code.NONODE, path);
      checkAndIncVersion(node.version, version, path);
      if (node.numChildren > 0) throw new KeeperError(Code.NOTEMPTY, path);
      return { type: TxnType.delete, path };
    }
    case OpCode.setData: {
      const { path, data, version } = body as { path: string; data: Buffer | null; version: number };
      ctx.sessions.checkSession(who.sessionId, LOCAL_OWNER);
      validatePath(path);
      const node = view.get(path);
      if (node === undefined) throw new KeeperError(Code.NONODE, path);
      ctx.acl.check(node.acl, Perms.WRITE, who.authInfo);
      ctx.quota.check(path, node.dataLength, data === null ? 0 : data.length, false);
      const newVersion = checkAndIncVersion(node.version, version, path);
      return { type: TxnType.setData, path, data, version: newVersion };
    }
    case OpCode.setACL: {
      const { path, acl, version } = body as { path: string; acl: Acl[] | null; version: number };
      ctx.sessions.checkSession(who.sessionId, LOCAL_OWNER);
      validatePath(path);
      const fixed = ctx.acl.fixup(path, who.authInfo, acl);
      const node = view.get(path);
      if (node === undefined) throw new KeeperError(Code.NONODE, path);
      ctx.acl.check(node.acl, Perms.ADMIN, who.authInfo);
      const newVersion = checkAndIncVersion(node.aversion, version, path);
      return { type: TxnType.setACL, path, acl: fixed, version: newVersion };
    }
    case OpCode.check: {
      const { path, version } = body as { path: string; version: number };
      ctx.sessions.checkSession(who.sessionId, LOCAL_OWNER);
      validatePath(path);
      const node = view.get(path);
      if (node === undefined) throw new KeeperError(Code.NONODE, path);
      ctx.acl.check(node.acl, Perms.READ, who.authInfo);
      return { type: TxnType.check, path, version: checkAndIncVersion(node.version, version, path) };
    }
    case OpCode.reconfig:
      if (!ctx.reconfigEnabled) throw new KeeperError(Code.RECONFIGDISABLED);
      ctx.sessions.checkSession(who.sessionId, LOCAL_OWNER);
      // A standalone server cannot reconfigure (Apache: the ClassCastException path).
      throw new KeeperError(Code.UNIMPLEMENTED);
    default:
      throw new KeeperError(Code.UNIMPLEMENTED);
  }
}

/**
 * A multi: each op is prepared against the tree as the earlier ops left it. On the first
 * failure that op becomes ErrorTxn(code) and every later one ErrorTxn(RUNTIMEINCONSISTENCY);
 * the ops before it stay as they were and are turned into ErrorTxn(0) when applied, exactly
 * the txn Apache logs.
 */
export function prepMulti(ctx: PrepContext, ops: readonly MultiOp[], who: Requester): Txn {
  const overlay = new MultiOverlay(treeView(ctx.tree));
  const txns: Txn[] = [];
  let failed = false;
  for (const op of ops) {
    if (failed) {
      txns.push({ type: TxnType.error, err: Code.RUNTIMEINCONSISTENCY });
      continue;
    }
    try {
      if (op.type === 4 || op.type === 8) throw new MarshallingError();
      const txn = prepWrite(ctx, op.type, op.body, who, overlay);
      overlay.apply(txn);
      txns.push(txn);
    } catch (err) {
      if (!(err instanceof KeeperError)) throw err;
      failed = true;
      txns.push({ type: TxnType.error, err: err.code });
    }
  }
  return { type: TxnType.multi, txns };
}

/** A request Apache cannot even turn into a txn (e.g. a read op inside a write multi). */
export class MarshallingError extends Error {
  constructor() {
    super('request cannot be marshalled into a txn');
  }
}

function prepCreate(ctx: PrepContext, type: number, req: CreateRequest | CreateTTLRequest, who: Requester, view: TreeView): Txn {
  const flags = req.flags;
  if (flags < 0 || flags > 6) throw new KeeperError(Code.BADARGUMENTS, req.path);
  const isTtlMode = flags === 5 || flags === 6;
  const isSequential = flags === 2 || flags === 3 || flags === 6;
  const isEphemeral = flags === 1 || flags === 3;
  const ttl = type === OpCode.createTTL ? (req as CreateTTLRequest).ttl : -1n;
  if (isTtlMode && !ctx.ephemeralTypes.extendedTypesEnabled) throw new KeeperError(Code.UNIMPLEMENTED);
  if (isTtlMode ? !isValidTtl(ttl) : ttl >= 0n) throw new KeeperError(Code.BADARGUMENTS, req.path);
  if (type === OpCode.createTTL && !isTtlMode) throw new KeeperError(Code.BADARGUMENTS, req.path);
  if (isEphemeral) ctx.sessions.checkGlobalSession(who.sessionId, LOCAL_OWNER);
  else ctx.sessions.checkSession(who.sessionId, LOCAL_OWNER);
  let path = req.path;
  const lastSlash = path.lastIndexOf('/');
  if (lastSlash === -1 || path.includes('\u0000')) throw new KeeperError(Code.BADARGUMENTS, path);
  const parentPath = lastSlash === 0 ? '/' : path.slice(0, lastSlash);
  const acl = ctx.acl.fixup(path, who.authInfo, req.acl);
  const parent = view.get(parentPath);
  if (parent === undefined) throw new KeeperError(Code.NONODE, parentPath);
  ctx.acl.check(parent.acl, Perms.CREATE, who.authInfo);
  if (isSequential) path += sequenceSuffix(parent.cversion);
  validatePath(path);
  if (view.get(path) !== undefined) throw new KeeperError(Code.NODEEXISTS, path);
  if (ephemeralKind(parent.ephemeralOwner, ctx.ephemeralTypes) === 'normal') {
    throw new KeeperError(Code.NOCHILDRENFOREPHEMERALS, path);
  }
  const data = req.data;
  ctx.quota.check(path, 0, data === null ? 0 : data.length, true);
  let ephemeralOwner = 0n;
  let txnType: 1 | 15 | 19 | 21 = type as 1 | 15 | 19 | 21;
  if (type === OpCode.createContainer) ephemeralOwner = CONTAINER_EPHEMERAL_OWNER;
  else if (type === OpCode.createTTL) ephemeralOwner = ttlToEphemeralOwner(ttl);
  else if (isEphemeral) ephemeralOwner = who.sessionId;
  txnType = type as typeof txnType;
  return { type: txnType, path, data, acl, ephemeralOwner, parentCVersion: nextVersion(parent.cversion) };
}

/** `%010d` of the parent's cversion, as Java formats it (negative numbers keep the sign inside the width). */
export function sequenceSuffix(cversion: number): string {
  if (cversion < 0) return `-${String(-cversion).padStart(9, '0')}`;
  return String(cversion).padStart(10, '0');
}

function validatePath(path: string): void {
  if (!isValidPath(path)) throw new KeeperError(Code.BADARGUMENTS, path);
}

function parentPathAndValidate(ctx: PrepContext, path: string): string {
  const lastSlash = path.lastIndexOf('/');
  if (lastSlash === -1 || path.includes('\u0000') || ctx.tree.isSpecialPath(path)) throw new KeeperError(Code.BADARGUMENTS, path);
  return lastSlash === 0 ? '/' : path.slice(0, lastSlash);
}

function checkAndIncVersion(current: number, expected: number, path: string): number {
  if (expected !== -1 && expected !== current) throw new KeeperError(Code.BADVERSION, path);
  return nextVersion(current);
}

/** The ContainerManager's delete (opcode 20): only empty container or TTL nodes go. */
export function prepDeleteContainer(ctx: PrepContext, path: string): Txn {
  const parentPath = parentPathAndValidate(ctx, path);
  const node = ctx.tree.getNode(path);
  if (node === undefined) throw new KeeperError(Code.NONODE, path);
  if (node.numChildren > 0) throw new KeeperError(Code.NOTEMPTY, path);
  if (ephemeralKind(node.ephemeralOwner, ctx.ephemeralTypes) === 'normal') throw new KeeperError(Code.BADVERSION, path);
  if (ctx.tree.getNode(parentPath) === undefined) throw new KeeperError(Code.NONODE, parentPath);
  return { type: TxnType.deleteContainer, path };
}
