import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../../common/ports.js';
import {
  AddWatchMode,
  CREATOR_ALL_ACL,
  CreateMode,
  ErrorCode,
  EventType,
  OpCode,
  WatcherType,
} from '../../../../protocols/zookeeper/index.js';
import {
  ZooKeeperClient,
  ZooKeeperClientPool,
  ZooKeeperError,
  multiOp,
  type StateChange,
  type WatchEvent,
  type ZooKeeperClientOptions,
} from '../../../../workloads/clients/zookeeper/index.js';
import { TcpProxy } from '../../../support/tcp-proxy.js';
import { apacheZooKeeperMissing, startApacheZooKeeper, type ApacheZooKeeper } from './apache-zookeeper.js';

const missing = apacheZooKeeperMissing();
if (missing !== null) console.warn(`skipping the ZooKeeper client suite: ${missing}`);

/** Waits for a condition set by another session's traffic; the bound only turns a hang into a failure. */
async function eventually(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function rejection(p: Promise<unknown>): Promise<ZooKeeperError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ZooKeeperError);
    return e as ZooKeeperError;
  }
  throw new Error('expected a rejection');
}

describe.skipIf(missing !== null)('ZooKeeperClient against Apache ZooKeeper 3.8.0', () => {
  let zk: ApacheZooKeeper;
  const clients: ZooKeeperClient[] = [];
  // tickTime 500 ms and sessions of 1 s to 60 s: quick expiry where a test wants it, long
  // sessions where one must survive a server restart.
  const connect = async (options: Partial<ZooKeeperClientOptions> = {}) => {
    const c = await ZooKeeperClient.connect({ hosts: zk.connectString, sessionTimeout: 6000, ...options });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    zk = await startApacheZooKeeper({ tickTime: 500, minSessionTimeout: 1000, maxSessionTimeout: 60_000 });
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await zk?.stop();
  });

  it('creates, reads, updates and deletes nodes, with clear errors', async () => {
    const c = await connect();
    expect(c.state).toBe('connected');
    expect(c.sessionId).not.toBe(0n);
    expect(c.negotiatedTimeout).toBe(6000);

    expect(await c.create('/crud', Buffer.from('v0'))).toBe('/crud');
    const read = await c.getData('/crud');
    expect(read.data!.toString()).toBe('v0');
    expect(read.stat.version).toBe(0);
    expect((await c.setData('/crud', Buffer.from('v1'), 0)).version).toBe(1);

    const badVersion = await rejection(c.setData('/crud', Buffer.from('v2'), 0));
    expect(badVersion).toMatchObject({ code: 'KZ_ZK_BADVERSION', errorCode: ErrorCode.BADVERSION, errorName: 'BADVERSION', op: 'setData', path: '/crud' });
    expect(badVersion.message).toContain('re-read');

    const created = await c.create2('/crud/child', null);
    expect(created.path).toBe('/crud/child');
    expect(created.stat.dataLength).toBe(0);
    expect((await c.getData('/crud/child')).data).toBeNull();
    expect(await c.getChildren('/crud')).toEqual(['child']);
    const children2 = await c.getChildren2('/crud');
    expect(children2.children).toEqual(['child']);
    expect(children2.stat.numChildren).toBe(1);
    expect((await c.exists('/crud'))!.numChildren).toBe(1);
    expect(await c.exists('/nope')).toBeNull();

    expect((await rejection(c.delete('/crud'))).code).toBe('KZ_ZK_NOTEMPTY');
    expect((await rejection(c.getData('/nope'))).code).toBe('KZ_ZK_NONODE');
    expect((await rejection(c.create('/crud'))).code).toBe('KZ_ZK_NODEEXISTS');
    expect((await rejection(c.create('/no/parent'))).code).toBe('KZ_ZK_NONODE');
    await c.delete('/crud/child');
    await c.delete('/crud', 1);
    expect(await c.exists('/crud')).toBeNull();
    expect(await c.sync('/')).toBe('/');
    expect(await c.getAllChildrenNumber('/zookeeper')).toBeGreaterThan(0);
  });

  it('creates sequential and ephemeral nodes; ephemerals go with their session', async () => {
    const owner = await connect();
    const observer = await connect();
    await owner.create('/seq', null);
    const paths = [];
    for (let i = 0; i < 3; i++) paths.push(await owner.create('/seq/n-', null, { mode: CreateMode.EPHEMERAL_SEQUENTIAL }));
    expect(paths).toEqual(['/seq/n-0000000000', '/seq/n-0000000001', '/seq/n-0000000002']);
    expect(await owner.create('/seq/p-', null, { mode: CreateMode.PERSISTENT_SEQUENTIAL })).toBe('/seq/p-0000000003');
    const eph = await owner.create2('/seq/e', Buffer.from('x'), { mode: CreateMode.EPHEMERAL });
    expect(eph.stat.ephemeralOwner).toBe(owner.sessionId);
    expect((await rejection(owner.create('/seq/e/child'))).code).toBe('KZ_ZK_NOCHILDRENFOREPHEMERALS');
    expect((await owner.getEphemerals('/seq')).sort()).toEqual(['/seq/e', ...paths].sort());

    await owner.close();
    expect(owner.state).toBe('closed');
    expect((await observer.getChildren('/seq')).sort()).toEqual(['p-0000000003']);
    const afterClose = await rejection(owner.getData('/seq'));
    expect(afterClose.code).toBe('KZ_ZK_CONNECTIONLOSS');
  });

  it('fires one-shot data, exist and child watches once, with the event that fired them', async () => {
    const c = await connect();
    const events: WatchEvent[] = [];
    const watcher = (e: WatchEvent) => events.push(e);
    await c.create('/w', Buffer.from('a'));
    await c.getData('/w', watcher);
    await c.exists('/w/later', watcher);
    await c.getChildren('/w', watcher);

    // Apache sends a notification before the reply to the request that caused it.
    await c.setData('/w', Buffer.from('b'));
    expect(events).toEqual([{ type: EventType.NodeDataChanged, state: 3, path: '/w', zxid: -1n }]);
    await c.setData('/w', Buffer.from('c'));
    expect(events).toHaveLength(1);

    await c.create('/w/later', null);
    expect(events.slice(1).map((e) => [e.type, e.path])).toEqual(
      expect.arrayContaining([
        [EventType.NodeCreated, '/w/later'],
        [EventType.NodeChildrenChanged, '/w'],
      ]),
    );
    expect(events).toHaveLength(3);

    // A change made by another session reaches the watcher too.
    const other = await connect();
    await c.getData('/w/later', watcher);
    await other.delete('/w/later');
    await eventually('NodeDeleted', () => events.some((e) => e.type === EventType.NodeDeleted));
  });

  it('keeps persistent and recursive watches until removed', async () => {
    const c = await connect();
    const recursive: WatchEvent[] = [];
    const persistent: WatchEvent[] = [];
    await c.create('/p', null);
    await c.create('/q', null);
    // The server keeps one watch mode per path and session, so the two kinds watch two paths.
    await c.addWatch('/p', (e) => recursive.push(e), AddWatchMode.PERSISTENT_RECURSIVE);
    await c.addWatch('/q', (e) => persistent.push(e), AddWatchMode.PERSISTENT);
    for (const root of ['/p', '/q']) {
      await c.create(`${root}/a`, null);
      await c.create(`${root}/a/b`, null);
      await c.setData(`${root}/a/b`, Buffer.from('x'));
      await c.setData(`${root}/a/b`, Buffer.from('y'));
      await c.setData(root, Buffer.from('z'));
    }
    expect(recursive.map((e) => [e.type, e.path])).toEqual([
      [EventType.NodeCreated, '/p/a'],
      [EventType.NodeCreated, '/p/a/b'],
      [EventType.NodeDataChanged, '/p/a/b'],
      [EventType.NodeDataChanged, '/p/a/b'],
      [EventType.NodeDataChanged, '/p'],
    ]);
    // A plain persistent watch sees its own node only, child-list changes included.
    expect(persistent.map((e) => [e.type, e.path])).toEqual([
      [EventType.NodeChildrenChanged, '/q'],
      [EventType.NodeDataChanged, '/q'],
    ]);

    await c.removeWatches('/p', WatcherType.Any);
    expect(recursive.at(-1)).toMatchObject({ type: EventType.PersistentWatchRemoved, path: '/p' });
    const before = recursive.length;
    await c.setData('/p/a', Buffer.from('z'));
    expect(recursive).toHaveLength(before);
    expect((await rejection(c.removeWatches('/p', WatcherType.Any))).code).toBe('KZ_ZK_NOWATCHER');
  });

  it('runs multi atomically and reports per-op errors on failure', async () => {
    const c = await connect();
    const results = await c.multi([
      multiOp.create('/m', Buffer.from('1')),
      multiOp.create2('/m/x', null),
      multiOp.setData('/m', Buffer.from('2'), 0),
      multiOp.check('/m', 1),
      multiOp.delete('/m/x'),
    ]);
    // Apache 3.8.0 answers a create2 inside a multi with a plain create result (path only).
    expect(results.map((r) => r.type)).toEqual([OpCode.create, OpCode.create, OpCode.setData, OpCode.check, OpCode.delete]);
    expect(results[0]).toEqual({ type: OpCode.create, body: { path: '/m' } });

    const failure = await rejection(c.multi([multiOp.create('/m/y'), multiOp.create('/m'), multiOp.delete('/m/none')]));
    expect(failure.code).toBe('KZ_ZK_NODEEXISTS');
    expect(failure.results).toEqual([
      { type: OpCode.error, err: 0 },
      { type: OpCode.error, err: ErrorCode.NODEEXISTS },
      { type: OpCode.error, err: ErrorCode.RUNTIMEINCONSISTENCY },
    ]);
    expect(await c.exists('/m/y')).toBeNull();

    const reads = await c.multiRead([multiOp.getData('/m'), multiOp.getChildren('/m'), multiOp.getData('/m/none')]);
    expect(reads[0]).toMatchObject({ type: OpCode.getData, body: { data: Buffer.from('2') } });
    expect(reads[1]).toEqual({ type: OpCode.getChildren, body: { children: [] } });
    expect(reads[2]).toEqual({ type: OpCode.error, err: ErrorCode.NONODE });
  });

  it('authenticates with digest; ACLs keep others out', async () => {
    const owner = await connect({ auth: [{ scheme: 'digest', auth: 'alice:secret' }] });
    const stranger = await connect();
    await owner.create('/private', Buffer.from('s'), { acl: CREATOR_ALL_ACL });
    const acl = await owner.getACL('/private');
    expect(acl.acl).toEqual([{ perms: 31, id: { scheme: 'digest', id: expect.stringMatching(/^alice:/) } }]);
    expect((await rejection(stranger.getData('/private'))).code).toBe('KZ_ZK_NOAUTH');
    expect(await owner.whoAmI()).toEqual(expect.arrayContaining([{ authScheme: 'digest', user: 'alice' }]));
    await stranger.addAuth('digest', 'alice:secret');
    expect((await stranger.getData('/private')).data!.toString()).toBe('s');
  });

  it('keeps thousands of requests outstanding on one connection, answered in order', async () => {
    const c = await connect();
    await c.create('/many', null);
    const writes = Array.from({ length: 2000 }, (_, i) => c.setData('/many', Buffer.from(String(i))));
    expect(c.outstanding).toBe(2000);
    const stats = await Promise.all(writes);
    expect(stats.map((s) => s.version)).toEqual(Array.from({ length: 2000 }, (_, i) => i + 1));
    const reads = await Promise.all(Array.from({ length: 3000 }, () => c.getData('/many')));
    expect(new Set(reads.map((r) => r.data!.toString()))).toEqual(new Set(['1999']));
    expect(c.outstanding).toBe(0);
  });

  it('spreads load over a pool of sessions', async () => {
    const pool = await ZooKeeperClientPool.connect({ hosts: zk.connectString, sessionTimeout: 6000, size: 3 });
    try {
      expect(new Set(pool.clients.map((c) => c.sessionId)).size).toBe(3);
      await pool.pick().create('/pool', null);
      const used = new Set<bigint>();
      await Promise.all(
        Array.from({ length: 300 }, (_, i) => {
          const client = pool.pick();
          used.add(client.sessionId);
          return client.create(`/pool/n${i}`, null);
        }),
      );
      expect(used.size).toBe(3);
      expect(await pool.pick().getAllChildrenNumber('/pool')).toBe(300);
    } finally {
      await pool.close();
    }
  });

  it('moves on to the next host when one does not answer, and speaks the short handshake on request', async () => {
    const dead = await freePort();
    const c = await connect({ hosts: `127.0.0.1:${dead},${zk.connectString}`, shortConnectRequest: true });
    expect(c.connectedServer).toEqual({ host: zk.host, port: zk.port });
    expect(await c.exists('/')).not.toBeNull();
  });

  it('reconnects to another host with the same session and gets the events it missed', async () => {
    // Two proxies stand for two servers of an ensemble; cutting the first moves the client.
    const first = await TcpProxy.start({ host: zk.host, port: zk.port });
    const second = await TcpProxy.start({ host: zk.host, port: zk.port });
    try {
      const c = await connect({ hosts: `${first.connectString},${second.connectString}`, sessionTimeout: 20_000 });
      expect(c.connectedServer?.port).toBe(first.port);
      const other = await connect();
      const events: WatchEvent[] = [];
      const states: StateChange[] = [];
      c.onStateChange((st) => states.push(st));
      await c.create('/moved', Buffer.from('1'));
      await c.getData('/moved', (e) => events.push(e));
      await c.getChildren('/moved', (e) => events.push(e));
      // A persistent watch makes the replay a setWatches2 (it carries persistent watches too).
      const subtree: WatchEvent[] = [];
      await c.create('/moved-tree', null);
      await c.addWatch('/moved-tree', (e) => subtree.push(e), AddWatchMode.PERSISTENT_RECURSIVE);
      const sessionId = c.sessionId;

      // Both dark while another session changes the node; then only the second comes back.
      first.blackhole();
      second.blackhole();
      await eventually('the client to notice the cut', () => c.state === 'disconnected');
      // The watch replay (setWatches relative to the last zxid the client saw) makes the
      // server fire these missed changes on reconnect.
      await other.setData('/moved', Buffer.from('2'));
      await other.create('/moved/child', null);
      expect(events).toEqual([]);
      second.restore();
      await eventually('reconnect via the second host', () => c.state === 'connected');

      expect(c.connectedServer?.port).toBe(second.port);
      expect(c.sessionId).toBe(sessionId);
      expect(states.map((st) => [st.state, st.reconnected])).toEqual([
        ['disconnected', false],
        ['connected', true],
      ]);
      await eventually('missed events', () => events.length === 2);
      expect(events.map((e) => e.type).sort()).toEqual([EventType.NodeDataChanged, EventType.NodeChildrenChanged].sort());
      expect((await c.getData('/moved')).data!.toString()).toBe('2');
      // The new connection only knows the recursive watch through the replay.
      await other.create('/moved-tree/leaf', null);
      await eventually('recursive watch after reconnect', () => subtree.some((e) => e.path === '/moved-tree/leaf'));
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('treats a rejected auth scheme as fatal (AUTHFAILED, then the server closes)', async () => {
    const c = await connect();
    const states: StateChange[] = [];
    c.onStateChange((st) => states.push(st));
    expect((await rejection(c.addAuth('no-such-scheme', 'x'))).code).toBe('KZ_ZK_AUTHFAILED');
    expect(c.state).toBe('authFailed');
    expect(states.map((st) => st.state)).toEqual(['authFailed']);
    expect((await rejection(c.exists('/'))).code).toBe('KZ_ZK_AUTHFAILED');
  });

  it('surfaces session expiry as a state change and fails later calls with SESSIONEXPIRED', async () => {
    // Cut the client off (a partition) for longer than its session timeout: the server
    // expires the session; when the network heals, the reconnect learns the session is gone.
    const proxy = await TcpProxy.start({ host: zk.host, port: zk.port });
    try {
      const victim = await connect({ hosts: proxy.connectString, sessionTimeout: 2000 });
      expect(victim.negotiatedTimeout).toBe(2000);
      const states: StateChange[] = [];
      victim.onStateChange((s) => states.push(s));
      await victim.create('/expiring', null, { mode: CreateMode.EPHEMERAL });
      const observer = await connect();
      const gone: WatchEvent[] = [];
      await observer.exists('/expiring', (e) => gone.push(e));

      proxy.blackhole();
      await eventually('the client to notice the cut', () => victim.state === 'disconnected');
      // Queued while disconnected: settled by the outcome of the reconnect.
      const pending = rejection(victim.getData('/'));
      // The ephemeral's deletion is the server's proof that the session expired.
      await eventually('the server to expire the session', () => gone.some((e) => e.type === EventType.NodeDeleted));
      proxy.restore();
      await eventually('the client to learn of the expiry', () => victim.state === 'expired');

      expect(states.map((s) => s.state)).toEqual(['disconnected', 'expired']);
      expect((await pending).code).toBe('KZ_ZK_SESSIONEXPIRED');
      expect((await rejection(victim.getData('/'))).code).toBe('KZ_ZK_SESSIONEXPIRED');
    } finally {
      await proxy.close();
    }
  });

  it('reconnects with the same session after the server restarts, replaying watches', async () => {
    // A long session, so it outlives a JVM restart however loaded the machine is.
    const c = await connect({ sessionTimeout: 60_000 });
    const other = await connect({ sessionTimeout: 60_000 });
    const states: StateChange[] = [];
    c.onStateChange((s) => states.push(s));
    const events: WatchEvent[] = [];
    await c.create('/restart', Buffer.from('1'));
    await c.create('/restart/eph', null, { mode: CreateMode.EPHEMERAL });
    await c.getData('/restart', (e) => events.push(e));
    const sessionId = c.sessionId;

    await zk.restart();
    await eventually('reconnect', () => states.some((s) => s.state === 'connected' && s.reconnected), 60_000).catch((e) => {
      throw new Error(`${(e as Error).message}; states: ${JSON.stringify(states.map((s) => [s.state, s.reason?.message]))}`);
    });
    expect(states[0]!.state).toBe('disconnected');
    expect(c.sessionId).toBe(sessionId);
    // Requests made right after the reconnect go through; the ephemeral survived.
    expect(await c.exists('/restart/eph')).not.toBeNull();
    await eventually('other client back', () => other.state === 'connected');
    await other.setData('/restart', Buffer.from('2'));
    await eventually('replayed data watch', () => events.some((e) => e.type === EventType.NodeDataChanged));
  });
});
