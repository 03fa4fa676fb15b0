import { describe, expect, it } from 'vitest';
import { OPEN_ACL_UNSAFE } from '../../../../servers/zookeeper/tree/acl.js';
import { DataTree } from '../../../../servers/zookeeper/tree/data-tree.js';
import { TxnType, type Txn } from '../../../../servers/zookeeper/tree/txn.js';
import { AddWatchMode, EventType, WatcherType, type WatchedEvent, type Watcher } from '../../../../servers/zookeeper/watch/watch-types.js';

class Recorder implements Watcher {
  readonly events: Array<[number, string]> = [];
  constructor(readonly sessionId: bigint) {}
  deliver(e: WatchedEvent): void {
    this.events.push([e.type, e.path]);
  }
}

function harness() {
  const tree = new DataTree({ extendedTypesEnabled: false, emulate353TtlNodes: false });
  let zxid = 0;
  const apply = (txn: Txn) => tree.processTxn({ sessionId: 0n, cxid: 0, zxid: ++zxid, time: 0, type: txn.type }, txn);
  const create = (path: string) =>
    apply({ type: TxnType.create, path, data: null, acl: OPEN_ACL_UNSAFE, ephemeralOwner: 0n, parentCVersion: -1 });
  const del = (path: string) => apply({ type: TxnType.delete, path });
  const set = (path: string) => apply({ type: TxnType.setData, path, data: null, version: 1 });
  return { tree, create, del, set };
}

describe('watches (Apache firing rules)', () => {
  it('fires standard watches once: exists → NodeCreated, getData → NodeDataChanged, getChildren → NodeChildrenChanged', () => {
    const { tree, create, set } = harness();
    const w = new Recorder(1n);
    expect(() => tree.statNode('/a', w)).toThrow();
    create('/a');
    create('/b');
    tree.getData('/a', w);
    tree.getChildren('/a', w);
    set('/a');
    set('/a');
    create('/a/c');
    create('/a/d');
    expect(w.events).toEqual([
      [EventType.NodeCreated, '/a'],
      [EventType.NodeDataChanged, '/a'],
      [EventType.NodeChildrenChanged, '/a'],
    ]);
  });

  it('tells a watcher with both data and child watches about a deleted node once', () => {
    const { tree, create, del } = harness();
    create('/a');
    const w = new Recorder(1n);
    tree.getData('/a', w);
    tree.getChildren('/a', w);
    tree.getChildren('/', w);
    del('/a');
    expect(w.events).toEqual([
      [EventType.NodeDeleted, '/a'],
      [EventType.NodeChildrenChanged, '/'],
    ]);
  });

  it('keeps persistent watches and never sends NodeChildrenChanged to recursive ones', () => {
    const { tree, create, set, del } = harness();
    create('/p');
    const persistent = new Recorder(1n);
    const recursive = new Recorder(2n);
    tree.addWatch('/p', persistent, AddWatchMode.PERSISTENT);
    tree.addWatch('/p', recursive, AddWatchMode.PERSISTENT_RECURSIVE);
    create('/p/x');
    set('/p/x');
    set('/p');
    set('/p');
    create('/p/x/y');
    del('/p/x/y');
    expect(persistent.events).toEqual([
      [EventType.NodeChildrenChanged, '/p'],
      [EventType.NodeDataChanged, '/p'],
      [EventType.NodeDataChanged, '/p'],
    ]);
    expect(recursive.events).toEqual([
      [EventType.NodeCreated, '/p/x'],
      [EventType.NodeDataChanged, '/p/x'],
      [EventType.NodeDataChanged, '/p'],
      [EventType.NodeDataChanged, '/p'],
      [EventType.NodeCreated, '/p/x/y'],
      [EventType.NodeDeleted, '/p/x/y'],
    ]);
  });

  it('checks and removes watches by type, NOWATCHER-style false when absent', () => {
    const { tree, create } = harness();
    create('/a');
    const w = new Recorder(1n);
    tree.getData('/a', w);
    tree.addWatch('/a', w, AddWatchMode.PERSISTENT);
    expect(tree.containsWatcher('/a', WatcherType.Data, w)).toBe(true);
    expect(tree.containsWatcher('/a', WatcherType.Children, w)).toBe(false);
    expect(tree.containsWatcher('/a', WatcherType.Persistent, w)).toBe(true);
    expect(tree.removeWatch('/a', WatcherType.Persistent, w)).toBe(true);
    expect(tree.removeWatch('/a', WatcherType.Persistent, w)).toBe(false);
    expect(tree.removeWatch('/a', WatcherType.Any, w)).toBe(true);
    expect(tree.watchCount).toBe(0);
  });

  it('replays watches on reconnect: fires what changed since relativeZxid, re-registers the rest', () => {
    const { tree, create, set } = harness();
    create('/a'); // zxid 1
    create('/b'); // zxid 2
    set('/b'); // zxid 3
    const w = new Recorder(1n);
    tree.setWatches(2, { data: ['/a', '/b', '/gone'], exist: ['/a', '/new'], child: ['/a'], persistent: [], persistentRecursive: [] }, w);
    expect(w.events).toEqual([
      [EventType.NodeDataChanged, '/b'],
      [EventType.NodeDeleted, '/gone'],
      [EventType.NodeCreated, '/a'],
    ]);
    create('/new');
    set('/a');
    expect(w.events.slice(3)).toEqual([
      [EventType.NodeCreated, '/new'],
      [EventType.NodeDataChanged, '/a'],
    ]);
  });

  it('forgets every watch of a closed connection', () => {
    const { tree, create } = harness();
    create('/a');
    const w = new Recorder(1n);
    tree.getData('/a', w);
    tree.getChildren('/a', w);
    tree.addWatch('/', w, AddWatchMode.PERSISTENT_RECURSIVE);
    tree.removeWatcher(w);
    expect(tree.watchCount).toBe(0);
    create('/a/b');
    expect(w.events).toEqual([]);
  });
});
