/** Watcher.Event.EventType: the `type` of a WatcherEvent. */
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
export type EventType = (typeof EventType)[keyof typeof EventType];

/** Watcher.Event.KeeperState: the `state` of a WatcherEvent (the server always sends SyncConnected). */
export const KeeperState = {
  Unknown: -1,
  Disconnected: 0,
  NoSyncConnected: 1,
  SyncConnected: 3,
  AuthFailed: 4,
  ConnectedReadOnly: 5,
  SaslAuthenticated: 6,
  Expired: -112,
  Closed: 7,
} as const;
export type KeeperState = (typeof KeeperState)[keyof typeof KeeperState];

/** Watcher.WatcherType: the `type` of checkWatches/removeWatches. */
export const WatcherType = {
  Children: 1,
  Data: 2,
  Any: 3,
  Persistent: 4,
  PersistentRecursive: 5,
} as const;
export type WatcherType = (typeof WatcherType)[keyof typeof WatcherType];

/** AddWatchMode: the `mode` of addWatch. */
export const AddWatchMode = {
  PERSISTENT: 0,
  PERSISTENT_RECURSIVE: 1,
} as const;
export type AddWatchMode = (typeof AddWatchMode)[keyof typeof AddWatchMode];

function reverse(table: Record<string, number>): Map<number, string> {
  return new Map(Object.entries(table).map(([name, code]) => [code, name]));
}
const eventTypeNames = reverse(EventType);
const keeperStateNames = reverse(KeeperState);

export function eventTypeName(code: number): string {
  return eventTypeNames.get(code) ?? `EventType(${code})`;
}

export function keeperStateName(code: number): string {
  return keeperStateNames.get(code) ?? `KeeperState(${code})`;
}
