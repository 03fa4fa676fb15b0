import type { Acl } from '../tree/acl.js';

/** `Watcher.Event.EventType` */
export const EventType = {
  None: -1,
  NodeCreated: 1,
  NodeDeleted: 2,
  NodeDataChanged: 3,
  NodeChildrenChanged: 4,
  DataWatchRemoved: 5,
  ChildWatchRemoved: 6,
  PersistentWatchRemoved: 7,
} as const;

/** `Watcher.Event.KeeperState`; the server only ever sends SyncConnected. */
export const KeeperState = { SyncConnected: 3 } as const;

/** `Watcher.WatcherType`, used by checkWatches / removeWatches. */
export const WatcherType = {
  Children: 1,
  Data: 2,
  Any: 3,
  Persistent: 4,
  PersistentRecursive: 5,
} as const;

/** `AddWatchMode` */
export const AddWatchMode = { PERSISTENT: 0, PERSISTENT_RECURSIVE: 1 } as const;

/** 3.9 sends the triggering txn's zxid; events fired by setWatches carry -1 (`WatchedEvent.NO_ZXID`). */
export const NO_ZXID = -1;

export interface WatchedEvent {
  type: number;
  state: number;
  path: string;
  zxid: number;
}

/** A connection that can hold watches (Apache's `ServerCnxn` as a `Watcher`). */
export interface Watcher {
  readonly sessionId: bigint;
  /** `acl` is the znode's ACL: delivery is filtered on READ permission, as 3.9 does (CVE-2024-23944). */
  deliver(event: WatchedEvent, acl: readonly Acl[] | null): void;
}
