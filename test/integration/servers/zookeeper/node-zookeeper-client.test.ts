import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/reference-server.js';

/** The parts of node-zookeeper-client 1.1 (untyped CommonJS) these tests use. */
type Callback = (err: Error | null, ...rest: unknown[]) => void;
interface WatchEvent {
  getName(): string;
}
interface Client {
  connect(): void;
  close(): void;
  once(event: 'connected', listener: () => void): void;
  addAuthInfo(scheme: string, auth: Buffer): void;
  create(path: string, ...args: unknown[]): void;
  remove(path: string, version: number, cb: Callback): void;
  setData(path: string, data: Buffer, version: number, cb: Callback): void;
  getData(path: string, ...args: unknown[]): void;
  exists(path: string, cb: Callback): void;
  getChildren(path: string, ...args: unknown[]): void;
  getACL(path: string, cb: Callback): void;
  setACL(path: string, acls: unknown[], version: number, cb: Callback): void;
  transaction(): Transaction;
}
interface Transaction {
  create(path: string): Transaction;
  setData(path: string, data: Buffer): Transaction;
  check(path: string, version: number): Transaction;
  remove(path: string): Transaction;
  commit(cb: Callback): void;
}
interface NodeZooKeeperClientModule {
  createClient(connectString: string, options: { sessionTimeout: number; retries: number }): Client;
  CreateMode: { PERSISTENT: number; EPHEMERAL: number; PERSISTENT_SEQUENTIAL: number };
  Exception: { BAD_VERSION: number; NODE_EXISTS: number; NO_NODE: number; NO_AUTH: number };
  ACL: new (perms: number, id: unknown) => unknown;
  Id: new (scheme: string, id: string) => unknown;
  Permission: { ALL: number; READ: number };
}
const zookeeper = createRequire(import.meta.url)('node-zookeeper-client') as NodeZooKeeperClientModule;
const { CreateMode, Exception, ACL, Id, Permission } = zookeeper;

function call<T>(fn: (cb: Callback) => void): Promise<T[]> {
  return new Promise((resolve, reject) => fn((err, ...rest) => (err ? reject(err) : resolve(rest as T[]))));
}

function connect(server: TestServer, timeout = 4000): Promise<Client> {
  const client = zookeeper.createClient(server.connectString, { sessionTimeout: timeout, retries: 0 });
  return new Promise((resolve) => {
    client.once('connected', () => resolve(client));
    client.connect();
  });
}

function codeOf(err: unknown): number {
  return (err as { getCode(): number }).getCode();
}

/** node-zookeeper-client 1.1.3, unmodified: short ConnectRequest, getChildren2, multi, digest auth. */
describe('node-zookeeper-client against the reference server', () => {
  let server: TestServer;
  let client: Client;
  beforeAll(async () => {
    server = await startTestServer();
    client = await connect(server);
  });
  afterAll(async () => {
    client?.close();
    await server?.dispose();
  });

  it('creates, reads, updates and deletes znodes with versions', async () => {
    const [path] = await call<string>((cb) => client.create('/crud', Buffer.from('v1'), cb));
    expect(path).toBe('/crud');
    const [data, stat] = await call<Buffer & { version: number }>((cb) => client.getData('/crud', cb));
    expect(data!.toString()).toBe('v1');
    expect(stat!.version).toBe(0);
    await call((cb) => client.setData('/crud', Buffer.from('v2'), 0, cb));
    await expect(call((cb) => client.setData('/crud', Buffer.from('v3'), 0, cb))).rejects.toSatisfy((e) => codeOf(e) === Exception.BAD_VERSION);
    await expect(call((cb) => client.create('/crud', Buffer.from('x'), cb))).rejects.toSatisfy((e) => codeOf(e) === Exception.NODE_EXISTS);
    await call((cb) => client.remove('/crud', 1, cb));
    const [exists] = await call<unknown>((cb) => client.exists('/crud', cb));
    expect(exists).toBeNull();
  });

  it('numbers sequential nodes from the parent cversion and lists children', async () => {
    await call((cb) => client.create('/seq', cb));
    const made: string[] = [];
    for (let i = 0; i < 3; i++) made.push((await call<string>((cb) => client.create('/seq/n-', Buffer.alloc(0), CreateMode.PERSISTENT_SEQUENTIAL, cb)))[0]!);
    expect(made).toEqual(['/seq/n-0000000000', '/seq/n-0000000001', '/seq/n-0000000002']);
    const [children] = await call<string[]>((cb) => client.getChildren('/seq', cb));
    expect([...children!].sort()).toEqual(['n-0000000000', 'n-0000000001', 'n-0000000002']);
  });

  it('delivers watch events before the reply that shows the change', async () => {
    await call((cb) => client.create('/watched', Buffer.from('a'), cb));
    const observer = await connect(server);
    try {
      const seen: string[] = [];
      await call((cb) =>
        observer.getData(
          '/watched',
          (event: WatchEvent) => seen.push(`event:${event.getName()}`),
          cb,
        ),
      );
      await call((cb) => client.setData('/watched', Buffer.from('b'), -1, cb));
      const [data] = await call<Buffer>((cb) => observer.getData('/watched', cb));
      seen.push(`data:${data!.toString()}`);
      expect(seen).toEqual(['event:NODE_DATA_CHANGED', 'data:b']);
    } finally {
      observer.close();
    }
  });

  it('removes a session’s ephemerals when it closes and tells child watchers', async () => {
    await call((cb) => client.create('/members', cb));
    const member = await connect(server);
    await call((cb) => member.create('/members/m1', Buffer.alloc(0), CreateMode.EPHEMERAL, cb));
    const events: string[] = [];
    const watchedOnce = new Promise<void>((resolve) =>
      client.getChildren(
        '/members',
        (e: WatchEvent) => {
          events.push(e.getName());
          resolve();
        },
        () => {},
      ),
    );
    member.close();
    await watchedOnce;
    expect(events).toEqual(['NODE_CHILDREN_CHANGED']);
    const [children] = await call<string[]>((cb) => client.getChildren('/members', cb));
    expect(children).toEqual([]);
  });

  it('commits transactions atomically and reports the failing op', async () => {
    const [results] = await call<Array<{ type: number }>>((cb) =>
      client.transaction().create('/tx').create('/tx/a').setData('/tx', Buffer.from('x')).check('/tx/a', 0).commit(cb),
    );
    expect(results!.map((r) => r.type)).toEqual([1, 1, 5, 13]);
    await expect(
      call((cb) => client.transaction().create('/tx/b').remove('/nope').commit(cb)),
    ).rejects.toSatisfy((e) => codeOf(e) === Exception.NO_NODE);
    const [b] = await call((cb) => client.exists('/tx/b', cb));
    expect(b).toBeNull();
  });

  it('enforces digest ACLs and lets the authenticated user in', async () => {
    const acl = [new ACL(Permission.ALL, new Id('digest', 'alice:' + digestOf('alice:secret')))];
    await call((cb) => client.create('/private', Buffer.from('s'), acl, CreateMode.PERSISTENT, cb));
    await expect(call((cb) => client.getData('/private', cb))).rejects.toSatisfy((e) => codeOf(e) === Exception.NO_AUTH);
    const alice = await connect(server);
    try {
      alice.addAuthInfo('digest', Buffer.from('alice:secret'));
      const [data] = await call<Buffer>((cb) => alice.getData('/private', cb));
      expect(data!.toString()).toBe('s');
      // Without READ or ADMIN even the ACL is hidden; with READ but no ADMIN digests are masked.
      await expect(call((cb) => client.getACL('/private', cb))).rejects.toSatisfy((e) => codeOf(e) === Exception.NO_AUTH);
      await call((cb) => alice.setACL('/private', [...acl, new ACL(Permission.READ, new Id('world', 'anyone'))], -1, cb));
      const [acls] = await call<Array<{ id: { scheme: string; id: string } }>>((cb) => client.getACL('/private', cb));
      expect(acls!.map((a) => `${a.id.scheme}:${a.id.id}`)).toEqual(['digest:alice:x', 'world:anyone']);
      const [full] = await call<Array<{ id: { scheme: string; id: string } }>>((cb) => alice.getACL('/private', cb));
      expect(full![0]!.id.id).toBe(`alice:${digestOf('alice:secret')}`);
    } finally {
      alice.close();
    }
  });
});

function digestOf(idPassword: string): string {
  // base64(sha1("user:password")), computed independently of the server's implementation.
  return createHash('sha1').update(idPassword).digest('base64');
}

