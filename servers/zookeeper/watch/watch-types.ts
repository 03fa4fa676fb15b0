import type { Acl } from '../tree/acl.js';

// Watcher.Event.EventType / KeeperState, Watcher.WatcherType and AddWatchMode: the protocol's tables.
export { EventType, KeeperState, WatcherType, AddWatchMode } from '../../../protocols/zookeeper/watcher-constants.js';

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
