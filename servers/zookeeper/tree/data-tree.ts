import { Code, KeeperError } from '../keeper-error.js';
import { LIMIT_NODE, QUOTA_ROOT, QuotaPathSet, STAT_NODE, quotaStatPath, trimQuotaPath } from '../quota/quota-paths.js';
import { StatsTrack } from '../quota/stats-track.js';
import { WatchManager, WatchMode } from '../watch/watch-manager.js';
import { AddWatchMode, EventType, KeeperState, NO_ZXID, WatcherType, type Watcher } from '../watch/watch-types.js';
import { AclInterner, OPEN_ACL_UNSAFE, READ_ACL_UNSAFE, type Acl } from './acl.js';
import { DataNode } from './data-node.js';
import { ephemeralKind, type EphemeralTypeOptions } from './ephemeral-type.js';
import { childNameOf, joinPath, parentOf } from './path-validation.js';
import type { Stat } from './stat.js';
import { toZnodeData, type ZnodeData } from './znode-data.js';
import { TxnType, type CreateTxn, type Txn, type TxnHeader } from './txn.js';

export const ROOT = '/';
export const PROC_ZOOKEEPER = '/zookeeper';
export const CONFIG_ZOOKEEPER = '/zookeeper/config';

/** What applying one txn did (Apache's `ProcessTxnResult`). */
export interface ProcessTxnResult {
  type: number;
  err: number;
  path?: string;
  stat?: Stat;
  multiResult?: ProcessTxnResult[];
}

export interface DataTreeOptions extends EphemeralTypeOptions {}

/**
 * The in-memory znode tree (Apache's `DataTree`): a path → node map plus per-node child
 * sets, the ephemeral/container/TTL indexes, quota accounting, and the data and child watch
 * tables. It changes only through `processTxn`, which both the live server and recovery call.
 */
export class DataTree {
  private readonly nodes = new Map<string, DataNode>();
  private readonly ephemerals = new Map<bigint, Set<string>>();
  readonly containers = new Set<string>();
  readonly ttls = new Set<string>();
  private readonly quotaPaths = new QuotaPathSet();
  readonly dataWatches = new WatchManager();
  readonly childWatches = new WatchManager();
  readonly acls = new AclInterner();
  lastProcessedZxid = 0;
  /** Sum of path lengths and data lengths, as Apache's `approximateDataSize`. */
  approximateDataSize = 0;

  constructor(readonly options: DataTreeOptions) {
    this.nodes.set(ROOT, DataNode.empty(OPEN_ACL_UNSAFE));
    this.addBuiltIn(PROC_ZOOKEEPER, OPEN_ACL_UNSAFE);
    this.addBuiltIn(QUOTA_ROOT, OPEN_ACL_UNSAFE);
    // ZOOKEEPER-2014: the reconfig node is read-only for everyone by default; Apache sets that
    // ACL with version -1, which leaves its aversion at -1.
    this.addBuiltIn(CONFIG_ZOOKEEPER, READ_ACL_UNSAFE);
    this.nodes.get(CONFIG_ZOOKEEPER)!.aversion = -1;
  }

  private addBuiltIn(path: string, acl: readonly Acl[]): void {
    this.nodes.set(path, DataNode.empty(acl));
    this.nodes.get(parentOf(path))!.addChild(childNameOf(path));
    this.approximateDataSize += path.length;
  }

  /** The paths Apache owns: they cannot be deleted (`DataTree.isSpecialPath`). */
  isSpecialPath(path: string): boolean {
    return path === ROOT || path === PROC_ZOOKEEPER || path === QUOTA_ROOT || path === CONFIG_ZOOKEEPER;
  }

  getNode(path: string): DataNode | undefined {
    return this.nodes.get(path);
  }

  /** Apache counts the root twice (it is stored under "" and "/"): a fresh server reports 5. */
  get nodeCount(): number {
    return this.nodes.size + 1;
  }

  get znodeCount(): number {
    return this.nodes.size;
  }

  kindOf(node: DataNode): ReturnType<typeof ephemeralKind> {
    return ephemeralKind(node.ephemeralOwner, this.options);
  }

  /** The client-visible Stat of a node: only real ephemerals report their owner. */
  statOf(node: DataNode): Stat {
    return node.stat(this.kindOf(node) === 'normal' ? node.ephemeralOwner : 0n);
  }

  // ---- reads -------------------------------------------------------------------------------

  statNode(path: string, watcher: Watcher | null): Stat {
    if (watcher !== null) this.dataWatches.addWatch(path, watcher);
    const node = this.nodes.get(path);
    if (node === undefined) throw new KeeperError(Code.NONODE, path);
    return this.statOf(node);
  }

  getData(path: string, watcher: Watcher | null): { data: ZnodeData; stat: Stat } {
    const node = this.nodes.get(path);
    if (node === undefined) throw new KeeperError(Code.NONODE, path);
    if (watcher !== null) this.dataWatches.addWatch(path, watcher);
    return { data: node.data, stat: this.statOf(node) };
  }

  getChildren(path: string, watcher: Watcher | null): { children: string[]; stat: Stat } {
    const node = this.nodes.get(path);
    if (node === undefined) throw new KeeperError(Code.NONODE, path);
    if (watcher !== null) this.childWatches.addWatch(path, watcher);
    return { children: node.children === null ? [] : [...node.children], stat: this.statOf(node) };
  }

  /** Descendants of `path` (not counting itself); for "/" the built-in nodes count too. */
  getAllChildrenNumber(path: string): number {
    if (path === ROOT) return this.nodes.size - 1;
    let total = 0;
    const stack = [path];
    while (stack.length > 0) {
      const current = stack.pop()!;
      const node = this.nodes.get(current);
      if (node?.children == null) continue;
      for (const child of node.children) {
        total++;
        stack.push(joinPath(current, child));
      }
    }
    return total;
  }

  getEphemerals(sessionId: bigint): string[] {
    const set = this.ephemerals.get(sessionId);
    return set === undefined ? [] : [...set];
  }

  /** Sessions that own ephemerals, with their paths (for `dump`). */
  ephemeralsBySession(): Map<bigint, string[]> {
    const out = new Map<bigint, string[]>();
    for (const [id, paths] of this.ephemerals) out.set(id, [...paths]);
    return out;
  }

  get ephemeralCount(): number {
    let n = 0;
    for (const set of this.ephemerals.values()) n += set.size;
    return n;
  }

  // ---- watches -----------------------------------------------------------------------------

  addWatch(path: string, watcher: Watcher, mode: number): void {
    if (mode === AddWatchMode.PERSISTENT_RECURSIVE) {
      this.dataWatches.addWatch(path, watcher, WatchMode.PERSISTENT_RECURSIVE);
    } else {
      this.dataWatches.addWatch(path, watcher, WatchMode.PERSISTENT);
      this.childWatches.addWatch(path, watcher, WatchMode.PERSISTENT);
    }
  }

  /** Re-registers a reconnecting client's watches, firing at once those already outdated. */
  setWatches(
    relativeZxid: number,
    lists: { data: string[]; exist: string[]; child: string[]; persistent: string[]; persistentRecursive: string[] },
    watcher: Watcher,
  ): void {
    const fire = (type: number, path: string, node: DataNode | undefined) =>
      watcher.deliver({ type, state: KeeperState.SyncConnected, path, zxid: NO_ZXID }, node?.acl ?? null);
    for (const path of lists.data) {
      const node = this.nodes.get(path);
      if (node === undefined) fire(EventType.NodeDeleted, path, node);
      else if (node.mzxid > relativeZxid) fire(EventType.NodeDataChanged, path, node);
      else this.dataWatches.addWatch(path, watcher);
    }
    for (const path of lists.exist) {
      const node = this.nodes.get(path);
      if (node !== undefined) fire(EventType.NodeCreated, path, node);
      else this.dataWatches.addWatch(path, watcher);
    }
    for (const path of lists.child) {
      const node = this.nodes.get(path);
      if (node === undefined) fire(EventType.NodeDeleted, path, node);
      else if (node.pzxid > relativeZxid) fire(EventType.NodeChildrenChanged, path, node);
      else this.childWatches.addWatch(path, watcher);
    }
    for (const path of lists.persistent) {
      this.childWatches.addWatch(path, watcher, WatchMode.PERSISTENT);
      this.dataWatches.addWatch(path, watcher, WatchMode.PERSISTENT);
    }
    for (const path of lists.persistentRecursive) {
      this.dataWatches.addWatch(path, watcher, WatchMode.PERSISTENT_RECURSIVE);
    }
  }

  containsWatcher(path: string, type: number, watcher: Watcher): boolean {
    switch (type) {
      case WatcherType.Children:
        return this.childWatches.containsWatch(path, watcher, WatchMode.STANDARD);
      case WatcherType.Data:
        return this.dataWatches.containsWatch(path, watcher, WatchMode.STANDARD);
      case WatcherType.Persistent:
        return this.dataWatches.containsWatch(path, watcher, WatchMode.PERSISTENT);
      case WatcherType.PersistentRecursive:
        return this.dataWatches.containsWatch(path, watcher, WatchMode.PERSISTENT_RECURSIVE);
      case WatcherType.Any:
        return this.childWatches.containsWatch(path, watcher, null) || this.dataWatches.containsWatch(path, watcher, null);
      default:
        return false;
    }
  }

  removeWatch(path: string, type: number, watcher: Watcher): boolean {
    switch (type) {
      case WatcherType.Children:
        return this.childWatches.removeWatch(path, watcher, WatchMode.STANDARD);
      case WatcherType.Data:
        return this.dataWatches.removeWatch(path, watcher, WatchMode.STANDARD);
      case WatcherType.Persistent: {
        const child = this.childWatches.removeWatch(path, watcher, WatchMode.PERSISTENT);
        const data = this.dataWatches.removeWatch(path, watcher, WatchMode.PERSISTENT);
        return child || data;
      }
      case WatcherType.PersistentRecursive:
        return this.dataWatches.removeWatch(path, watcher, WatchMode.PERSISTENT_RECURSIVE);
      case WatcherType.Any: {
        const child = this.childWatches.removeWatch(path, watcher, null);
        const data = this.dataWatches.removeWatch(path, watcher, null);
        return child || data;
      }
      default:
        return false;
    }
  }

  removeWatcher(watcher: Watcher): void {
    this.dataWatches.removeWatcher(watcher);
    this.childWatches.removeWatcher(watcher);
  }

  get watchCount(): number {
    return this.dataWatches.size + this.childWatches.size;
  }

  // ---- quotas ------------------------------------------------------------------------------

  /** The deepest path with a quota covering `path`, or null. */
  maxPrefixWithQuota(path: string): string | null {
    return this.quotaPaths.maxPrefix(path);
  }

  private updateQuotaStat(prefix: string, bytesDiff: number, countDiff: number): void {
    const statNode = this.nodes.get(quotaStatPath(prefix));
    if (statNode === undefined) return;
    const track = StatsTrack.fromBytes(statNode.data);
    track.count = track.count + countDiff;
    track.bytes = track.bytes + bytesDiff;
    this.replaceData(statNode, track.toString());
  }

  /** Recounts the subtree under a quota'd path into its stat node (Apache's `updateQuotaForPath`). */
  private updateQuotaForPath(path: string): void {
    let count = 0;
    let bytes = 0;
    const stack = [path];
    while (stack.length > 0) {
      const current = stack.pop()!;
      const node = this.nodes.get(current);
      if (node === undefined) continue;
      count++;
      bytes += node.dataLength;
      if (node.children !== null) for (const child of node.children) stack.push(joinPath(current, child));
    }
    const statPath = quotaStatPath(path);
    const statNode = this.nodes.get(statPath);
    if (statNode === undefined) return;
    const track = new StatsTrack();
    track.bytes = bytes;
    track.count = count;
    this.replaceData(statNode, track.toString());
  }

  private replaceData(node: DataNode, data: string): void {
    this.approximateDataSize += data.length - node.dataLength;
    node.data = data;
  }

  /** Rebuilds the quota index and stat nodes from /zookeeper/quota (after loading a snapshot). */
  setupQuota(): void {
    this.quotaPaths.clear();
    const stack = [QUOTA_ROOT];
    while (stack.length > 0) {
      const current = stack.pop()!;
      const node = this.nodes.get(current);
      if (node === undefined) continue;
      if (node.children === null || node.children.size === 0) {
        const suffix = `/${LIMIT_NODE}`;
        if (current.endsWith(suffix)) {
          const real = current.slice(QUOTA_ROOT.length, current.length - suffix.length);
          this.updateQuotaForPath(real);
          this.quotaPaths.add(real);
        }
        continue;
      }
      for (const child of node.children) stack.push(joinPath(current, child));
    }
  }

  // ---- changes -----------------------------------------------------------------------------

  /**
   * Applies a txn (live or during recovery). Errors a replay can meet (NONODE, NODEEXISTS on
   * a fuzzy snapshot) are reported in `err`, never thrown, as Apache's `processTxn`.
   */
  processTxn(header: TxnHeader, txn: Txn, isSubTxn = false): ProcessTxnResult {
    const rc: ProcessTxnResult = { type: txn.type, err: Code.OK };
    try {
      switch (txn.type) {
        case TxnType.create:
        case TxnType.create2:
        case TxnType.createContainer:
        case TxnType.createTTL:
          rc.path = txn.path;
          rc.stat = this.createNode(txn, header.zxid, header.time);
          break;
        case TxnType.delete:
        case TxnType.deleteContainer:
          rc.path = txn.path;
          this.deleteNode(txn.path, header.zxid);
          break;
        case TxnType.setData:
          rc.path = txn.path;
          rc.stat = this.setData(txn.path, txn.data, txn.version, header.zxid, header.time);
          break;
        case TxnType.setACL:
          rc.path = txn.path;
          rc.stat = this.setAcl(txn.path, txn.acl, txn.version);
          break;
        case TxnType.check:
          rc.path = txn.path;
          break;
        case TxnType.error:
          rc.err = txn.err;
          break;
        case TxnType.closeSession:
          this.killSession(header.sessionId, header.zxid, txn.paths);
          break;
        case TxnType.createSession:
          break;
        case TxnType.multi: {
          rc.multiResult = [];
          const failedAt = txn.txns.findIndex((t) => t.type === TxnType.error);
          for (let i = 0; i < txn.txns.length; i++) {
            let sub = txn.txns[i]!;
            if (failedAt !== -1 && sub.type !== TxnType.error) {
              sub = { type: TxnType.error, err: i > failedAt ? Code.RUNTIMEINCONSISTENCY : Code.OK };
            }
            const subRc = this.processTxn(header, sub, true);
            rc.multiResult.push(subRc);
            if (subRc.err !== 0 && rc.err === 0) rc.err = subRc.err;
          }
          break;
        }
      }
    } catch (err) {
      if (!(err instanceof KeeperError)) throw err;
      rc.err = err.code;
      // Replaying a create over a fuzzy snapshot that already holds the node: still bring the
      // parent's cversion/pzxid forward (Apache does this for create; we do it for every create kind).
      if (err.code === Code.NODEEXISTS && 'parentCVersion' in txn) {
        this.setCversionPzxid(parentOf(txn.path), txn.parentCVersion, header.zxid);
      }
    }
    if (!isSubTxn && header.zxid > this.lastProcessedZxid) this.lastProcessedZxid = header.zxid;
    return rc;
  }

  private createNode(txn: CreateTxn, zxid: number, time: number): Stat {
    const { path } = txn;
    const parentPath = parentOf(path);
    const childName = childNameOf(path);
    const parent = this.nodes.get(parentPath);
    if (parent === undefined) throw new KeeperError(Code.NONODE, path);
    const acl = this.acls.intern(txn.acl);
    const existing = this.nodes.get(path);
    if (existing !== undefined) {
      existing.acl = acl;
      throw new KeeperError(Code.NODEEXISTS, path);
    }
    let parentCVersion = txn.parentCVersion;
    if (parentCVersion === -1) parentCVersion = parent.cversion + 1;
    // A create replayed after the fuzzy snapshot already saw a later one must not move cversion back.
    if (parentCVersion > parent.cversion) {
      parent.cversion = parentCVersion;
      parent.pzxid = zxid;
    }
    const data = toZnodeData(txn.data);
    const dataLength = data === null ? 0 : data.length;
    const node = new DataNode(data, acl, zxid, zxid, zxid, time, time, 0, 0, 0, txn.ephemeralOwner);
    parent.addChild(childName);
    this.nodes.set(path, node);
    this.approximateDataSize += path.length + dataLength;
    const kind = this.kindOf(node);
    if (kind === 'container') this.containers.add(path);
    else if (kind === 'ttl') this.ttls.add(path);
    else if (kind === 'normal') {
      let set = this.ephemerals.get(txn.ephemeralOwner);
      if (set === undefined) {
        set = new Set();
        this.ephemerals.set(txn.ephemeralOwner, set);
      }
      set.add(path);
    }
    if (parentPath.startsWith(QUOTA_ROOT)) {
      if (childName === LIMIT_NODE) this.quotaPaths.add(trimQuotaPath(parentPath));
      if (childName === STAT_NODE) this.updateQuotaForPath(trimQuotaPath(parentPath));
    }
    const prefix = this.quotaPaths.maxPrefix(path);
    if (prefix !== null) this.updateQuotaStat(prefix, dataLength, 1);
    const stat = this.statOf(node);
    this.dataWatches.triggerWatch(path, EventType.NodeCreated, zxid, acl);
    this.childWatches.triggerWatch(parentPath, EventType.NodeChildrenChanged, zxid, parent.acl);
    return stat;
  }

  private deleteNode(path: string, zxid: number): void {
    const parentPath = parentOf(path);
    const childName = childNameOf(path);
    const parent = this.nodes.get(parentPath);
    if (parent === undefined) throw new KeeperError(Code.NONODE, path);
    parent.removeChild(childName);
    // Only move pzxid forward: a replayed delete must not undo a later create's pzxid.
    if (zxid > parent.pzxid) parent.pzxid = zxid;
    const node = this.nodes.get(path);
    if (node === undefined) throw new KeeperError(Code.NONODE, path);
    this.nodes.delete(path);
    this.approximateDataSize -= path.length + node.dataLength;
    const kind = this.kindOf(node);
    if (kind === 'container') this.containers.delete(path);
    else if (kind === 'ttl') this.ttls.delete(path);
    else if (kind === 'normal') {
      const set = this.ephemerals.get(node.ephemeralOwner);
      if (set !== undefined) {
        set.delete(path);
        if (set.size === 0) this.ephemerals.delete(node.ephemeralOwner);
      }
    }
    if (parentPath.startsWith(PROC_ZOOKEEPER) && childName === LIMIT_NODE) {
      this.quotaPaths.delete(trimQuotaPath(parentPath));
    }
    const prefix = this.quotaPaths.maxPrefix(path);
    if (prefix !== null) this.updateQuotaStat(prefix, -node.dataLength, -1);
    const told = this.dataWatches.triggerWatch(path, EventType.NodeDeleted, zxid, node.acl);
    this.childWatches.triggerWatch(path, EventType.NodeDeleted, zxid, node.acl, told);
    this.childWatches.triggerWatch(parentPath, EventType.NodeChildrenChanged, zxid, parent.acl);
  }

  private setData(path: string, bytes: Uint8Array | null, version: number, zxid: number, time: number): Stat {
    const data = toZnodeData(bytes);
    const node = this.nodes.get(path);
    if (node === undefined) throw new KeeperError(Code.NONODE, path);
    const lastLength = node.dataLength;
    const newLength = data === null ? 0 : data.length;
    node.data = data;
    node.mtime = time;
    node.mzxid = zxid;
    node.version = version;
    const stat = this.statOf(node);
    const prefix = this.quotaPaths.maxPrefix(path);
    if (prefix !== null) this.updateQuotaStat(prefix, newLength - lastLength, 0);
    this.approximateDataSize += newLength - lastLength;
    this.dataWatches.triggerWatch(path, EventType.NodeDataChanged, zxid, node.acl);
    return stat;
  }

  private setAcl(path: string, acl: readonly Acl[], version: number): Stat {
    const node = this.nodes.get(path);
    if (node === undefined) throw new KeeperError(Code.NONODE, path);
    node.aversion = version;
    node.acl = this.acls.intern(acl);
    return this.statOf(node);
  }

  private setCversionPzxid(path: string, cversion: number, zxid: number): void {
    const node = this.nodes.get(path);
    if (node === undefined) return;
    const next = cversion === -1 ? node.cversion + 1 : cversion;
    if (next > node.cversion) {
      node.cversion = next;
      node.pzxid = zxid;
    }
  }

  private killSession(sessionId: bigint, zxid: number, paths: readonly string[]): void {
    const local = this.ephemerals.get(sessionId);
    this.ephemerals.delete(sessionId);
    const done = new Set<string>();
    for (const path of paths) {
      done.add(path);
      try {
        this.deleteNode(path, zxid);
      } catch (err) {
        if (!(err instanceof KeeperError)) throw err;
      }
    }
    if (local === undefined) return;
    for (const path of local) {
      if (done.has(path)) continue;
      try {
        this.deleteNode(path, zxid);
      } catch (err) {
        if (!(err instanceof KeeperError)) throw err;
      }
    }
  }

  // ---- snapshots ---------------------------------------------------------------------------

  /** Every (path, node), parents before children: the order a snapshot is written in. */
  *walk(): Generator<[string, DataNode]> {
    const stack: string[] = [ROOT];
    while (stack.length > 0) {
      const path = stack.pop()!;
      const node = this.nodes.get(path);
      if (node === undefined) continue;
      yield [path, node];
      if (node.children !== null) {
        const children = [...node.children];
        for (let i = children.length - 1; i >= 0; i--) stack.push(joinPath(path, children[i]!));
      }
    }
  }

  /**
   * Loads one node from a snapshot (parents come first). The built-in nodes are replaced in
   * place so their children links survive.
   */
  loadNode(path: string, node: DataNode): void {
    node.acl = this.acls.intern(node.acl);
    const existing = this.nodes.get(path);
    if (existing !== undefined) {
      this.approximateDataSize -= path.length + existing.dataLength;
      node.children = existing.children;
    }
    this.nodes.set(path, node);
    this.approximateDataSize += path.length + node.dataLength;
    if (path === ROOT) return;
    const parent = this.nodes.get(parentOf(path));
    if (parent === undefined) throw new Error(`snapshot is missing the parent of ${path}`);
    parent.addChild(childNameOf(path));
    const kind = this.kindOf(node);
    if (kind === 'container') this.containers.add(path);
    else if (kind === 'ttl') this.ttls.add(path);
    else if (kind === 'normal') {
      let set = this.ephemerals.get(node.ephemeralOwner);
      if (set === undefined) {
        set = new Set();
        this.ephemerals.set(node.ephemeralOwner, set);
      }
      set.add(path);
    }
  }

  /** Sessions that own at least one ephemeral (recovery re-tracks them). */
  sessionsWithEphemerals(): bigint[] {
    return [...this.ephemerals.keys()];
  }
}
