import { describe, expect, it } from 'vitest';
import { EventType, WatcherType } from '../../../../protocols/zookeeper/index.js';
import { parseConnectString } from '../../../../workloads/clients/zookeeper/connect-string.js';
import { RequestQueue } from '../../../../workloads/clients/zookeeper/request-queue.js';
import { WatchRegistry, type Watcher } from '../../../../workloads/clients/zookeeper/watch-registry.js';

// The client's pure parts, without a server (the client itself is tested against Apache in
// zookeeper-client.test.ts).

describe('WatchRegistry follows ZKWatchManager delivery rules', () => {
  const named = (name: string, log: string[]): Watcher => (e) => log.push(`${name}:${e.type}:${e.path}`);

  it('data and exist watches fire once on data change, creation and deletion', () => {
    const w = new WatchRegistry();
    const log: string[] = [];
    const data = named('data', log);
    w.add('data', '/a', data);
    w.add('exist', '/b', named('exist', log));
    expect([...w.materialize(EventType.NodeDataChanged, '/a')]).toEqual([data]);
    expect(w.materialize(EventType.NodeDataChanged, '/a').size).toBe(0);
    expect(w.materialize(EventType.NodeCreated, '/b').size).toBe(1);
    w.add('data', '/c', data);
    w.add('child', '/c', named('child', log));
    expect(w.materialize(EventType.NodeDeleted, '/c').size).toBe(2);
    expect(w.size).toBe(0);
  });

  it('child watches fire on child-list changes only', () => {
    const w = new WatchRegistry();
    w.add('child', '/a', () => undefined);
    expect(w.materialize(EventType.NodeDataChanged, '/a').size).toBe(0);
    expect(w.materialize(EventType.NodeChildrenChanged, '/a').size).toBe(1);
  });

  it('one watcher set several ways is called once per event', () => {
    const w = new WatchRegistry();
    const f = () => undefined;
    w.add('data', '/a', f);
    w.add('exist', '/a', f);
    w.add('persistent', '/a', f);
    expect(w.materialize(EventType.NodeDataChanged, '/a').size).toBe(1);
  });

  it('persistent watches stay; recursive ones cover the subtree but not child-list events', () => {
    const w = new WatchRegistry();
    const persistent = () => undefined;
    const recursive = () => undefined;
    w.add('persistent', '/a', persistent);
    w.add('persistentRecursive', '/', recursive);
    for (let i = 0; i < 2; i++) expect(w.materialize(EventType.NodeDataChanged, '/a')).toEqual(new Set([persistent, recursive]));
    expect(w.materialize(EventType.NodeCreated, '/x/y/z')).toEqual(new Set([recursive]));
    expect(w.materialize(EventType.NodeChildrenChanged, '/a')).toEqual(new Set([persistent]));
    expect(w.hasPersistent).toBe(true);
  });

  it('removes by WatcherType, optionally one watcher', () => {
    const w = new WatchRegistry();
    const f = () => undefined;
    const g = () => undefined;
    w.add('data', '/a', f);
    w.add('data', '/a', g);
    w.add('child', '/a', f);
    expect(w.remove('/a', WatcherType.Data, g)).toEqual([{ kind: 'data', watcher: g }]);
    expect(w.has('/a', WatcherType.Data)).toBe(true);
    expect(w.remove('/a', WatcherType.Any).map((r) => r.kind).sort()).toEqual(['child', 'data']);
    expect(w.size).toBe(0);
  });

  it('lists paths per kind for the reconnect replay, and clears on expiry', () => {
    const w = new WatchRegistry();
    w.add('data', '/a', () => undefined);
    w.add('exist', '/b', () => undefined);
    w.add('child', '/a', () => undefined);
    expect([w.paths('data'), w.paths('exist'), w.paths('child')]).toEqual([['/a'], ['/b'], ['/a']]);
    expect(w.clear().size).toBe(3);
    expect(w.size).toBe(0);
  });
});

describe('RequestQueue', () => {
  it('is FIFO across growth and wrap-around', () => {
    const q = new RequestQueue<number>(2);
    const out: number[] = [];
    let next = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < (round % 7) + 1; i++) q.push(next++);
      for (let i = 0; i < (round % 5) + 1; i++) {
        const v = q.shift();
        if (v !== undefined) out.push(v);
      }
    }
    out.push(...q.drain());
    expect(out).toEqual(Array.from({ length: next }, (_, i) => i));
    expect(q.length).toBe(0);
    expect(q.shift()).toBeUndefined();
  });
});

describe('parseConnectString', () => {
  it('reads host:port lists with the default port', () => {
    expect(parseConnectString('a:1, b ,[::1]:3')).toEqual([
      { host: 'a', port: 1 },
      { host: 'b', port: 2181 },
      { host: '::1', port: 3 },
    ]);
  });

  it('rejects chroots, bad ports and empty lists with a usage error', () => {
    for (const bad of ['a:1/app', 'a:99999', '', 'a:b:c']) {
      expect(() => parseConnectString(bad), bad).toThrow(expect.objectContaining({ exitCode: 2, code: 'KZ_ZK_CONNECT_STRING' }));
    }
  });
});
