import { EventType, WatcherType } from '../../../protocols/zookeeper/index.js';

/** A watch notification as delivered to watchers. */
export interface WatchEvent {
  /** An EventType (NodeCreated, NodeDeleted, NodeDataChanged, NodeChildrenChanged, ...WatchRemoved). */
  type: number;
  /** A KeeperState; server events always carry SyncConnected (3). */
  state: number;
  path: string;
  /** The notification's zxid: -1 from 3.8 servers, the triggering txn's zxid from 3.9. */
  zxid: bigint;
}

export type Watcher = (event: WatchEvent) => void;

/**
 * Kinds of watch a session holds. One-shot: `data` (getData, or exists on an existing node),
 * `exist` (exists on a missing node), `child` (getChildren). Persistent: `persistent` and
 * `persistentRecursive` (addWatch), which stay until removed.
 */
export type WatchKind = 'data' | 'exist' | 'child' | 'persistent' | 'persistentRecursive';

const ALL_KINDS: readonly WatchKind[] = ['data', 'exist', 'child', 'persistent', 'persistentRecursive'];

/** Which kinds removeWatches(type) drops (Watcher.WatcherType). */
const kindsOfWatcherType: Record<number, readonly WatchKind[]> = {
  [WatcherType.Children]: ['child'],
  [WatcherType.Data]: ['data', 'exist'],
  [WatcherType.Any]: ALL_KINDS,
  [WatcherType.Persistent]: ['persistent'],
  [WatcherType.PersistentRecursive]: ['persistentRecursive'],
};

/** '/a/b' → '/a/b', '/a', '/'. */
function* selfAndAncestors(path: string): Generator<string> {
  let p = path;
  while (true) {
    yield p;
    if (p === '/') return;
    const slash = p.lastIndexOf('/');
    p = slash <= 0 ? '/' : p.slice(0, slash);
  }
}

/**
 * The client side of watches, with the delivery rules of Apache's ZKWatchManager: which
 * watchers an event reaches, which of them it consumes, and what to replay on reconnect.
 */
export class WatchRegistry {
  private readonly byKind: Record<WatchKind, Map<string, Set<Watcher>>> = {
    data: new Map(),
    exist: new Map(),
    child: new Map(),
    persistent: new Map(),
    persistentRecursive: new Map(),
  };

  add(kind: WatchKind, path: string, watcher: Watcher): void {
    const map = this.byKind[kind];
    let set = map.get(path);
    if (set === undefined) map.set(path, (set = new Set()));
    set.add(watcher);
  }

  /** The watchers a server event reaches (each once), removing the one-shot ones it fires. */
  materialize(type: number, path: string): Set<Watcher> {
    const out = new Set<Watcher>();
    const take = (kind: WatchKind) => {
      const set = this.byKind[kind].get(path);
      if (set === undefined) return;
      this.byKind[kind].delete(path);
      for (const w of set) out.add(w);
    };
    switch (type) {
      case EventType.NodeCreated:
      case EventType.NodeDataChanged:
        take('data');
        take('exist');
        break;
      case EventType.NodeChildrenChanged:
        take('child');
        break;
      case EventType.NodeDeleted:
        take('data');
        take('exist');
        take('child');
        break;
      default:
        return out;
    }
    for (const w of this.byKind.persistent.get(path) ?? []) out.add(w);
    // Recursive watches see the whole subtree but never child-list events.
    if (type !== EventType.NodeChildrenChanged) {
      for (const p of selfAndAncestors(path)) for (const w of this.byKind.persistentRecursive.get(p) ?? []) out.add(w);
    }
    return out;
  }

  /**
   * Drops watches of a WatcherType on `path` (only `watcher`, when given). Returns the removed
   * watchers with the kind each was registered as.
   */
  remove(path: string, watcherType: number, watcher?: Watcher): { kind: WatchKind; watcher: Watcher }[] {
    const removed: { kind: WatchKind; watcher: Watcher }[] = [];
    for (const kind of kindsOfWatcherType[watcherType] ?? []) {
      const set = this.byKind[kind].get(path);
      if (set === undefined) continue;
      for (const w of set) {
        if (watcher !== undefined && w !== watcher) continue;
        set.delete(w);
        removed.push({ kind, watcher: w });
      }
      if (set.size === 0) this.byKind[kind].delete(path);
    }
    return removed;
  }

  /** Whether any watch of the given WatcherType remains on `path`. */
  has(path: string, watcherType: number): boolean {
    return (kindsOfWatcherType[watcherType] ?? []).some((kind) => this.byKind[kind].has(path));
  }

  paths(kind: WatchKind): string[] {
    return [...this.byKind[kind].keys()];
  }

  get size(): number {
    return ALL_KINDS.reduce((n, kind) => n + this.byKind[kind].size, 0);
  }

  get hasPersistent(): boolean {
    return this.byKind.persistent.size > 0 || this.byKind.persistentRecursive.size > 0;
  }

  /** Forgets everything (session expired or closed); returns every watcher that was registered. */
  clear(): Set<Watcher> {
    const all = new Set<Watcher>();
    for (const kind of ALL_KINDS) {
      for (const set of this.byKind[kind].values()) for (const w of set) all.add(w);
      this.byKind[kind].clear();
    }
    return all;
  }
}
