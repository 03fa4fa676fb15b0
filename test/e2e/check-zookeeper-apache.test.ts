import { createRequire } from 'node:module';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatHistoryJsonl } from '../../checkers/history/index.js';
import type { Op } from '../../checkers/history/op.js';
import { seededRandom } from '../../checkers/linearizability/synthetic-histories.js';
import { apacheZooKeeperMissing, cachedZooKeeper39, debianZooKeeper, startApacheZooKeeper, type ApacheZooKeeper } from '../integration/clients/zookeeper/apache-zookeeper.js';
import { runCli } from '../support/cli.js';

const require = createRequire(import.meta.url);
// Untyped CommonJS package, driven as its README shows.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const zookeeper: any = require('node-zookeeper-client');

const distribution = cachedZooKeeper39() ?? debianZooKeeper;
const missing = distribution === debianZooKeeper ? apacheZooKeeperMissing() : null;
if (missing) console.warn(`ZooKeeper history checks against Apache skipped: ${missing}`);

type Client = {
  name: string;
  zk: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  session: string;
};

/**
 * Records what real clients (node-zookeeper-client) saw from a real Apache ZooKeeper, in the
 * op shapes of docs/checkers.md: invocations when a request is sent, completions in the
 * order the callbacks run (the order the replies arrived), watch events when they fire.
 */
class HistoryRecorder {
  readonly ops: Op[] = [];
  private lanes = 0;

  private push(op: Omit<Op, 'index'>): void {
    this.ops.push({ index: this.ops.length, ...op } as Op);
  }

  /** Sends one request on a fresh lane; resolves when its reply has been recorded. */
  request(client: Client, f: string, value: Record<string, unknown>, send: (done: (err: Error | null, result?: Record<string, unknown>, zxid?: string) => void) => void): Promise<void> {
    const lane = `${client.name}/${this.lanes++}`;
    this.push({ process: lane, client: client.name, type: 'invoke', f, value });
    return new Promise((resolve) => {
      send((err, result = {}, zxid) => {
        const code = (err as { getCode?: () => number } | null)?.getCode?.();
        // A reply with an error code is a fail; no reply (connection loss) would be info.
        const type = err ? (code === zookeeper.Exception.CONNECTION_LOSS ? 'info' : 'fail') : 'ok';
        this.push({ process: lane, client: client.name, type, f, value: { ...value, ...result }, session: client.session, ...(zxid ? { zxid } : {}), ...(err ? { error: err.message } : {}) });
        resolve();
      });
    });
  }

  event(client: Client, f: 'watch', value: Record<string, unknown>): void {
    this.push({ process: 'events', client: client.name, type: 'info', f, value });
  }
}

const zxidOf = (buf: Buffer | undefined): string | undefined => (buf ? `0x${BigInt(`0x${buf.toString('hex')}`).toString(16)}` : undefined);

async function connect(name: string, connectString: string): Promise<Client> {
  const zk = zookeeper.createClient(connectString, { sessionTimeout: 6000, spinDelay: 100, retries: 2 });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}: no connection within 20 s`)), 20_000);
    zk.once('connected', () => {
      clearTimeout(timer);
      resolve();
    });
    zk.connect();
  });
  return { name, zk, session: `0x${BigInt(`0x${(zk.getSessionId() as Buffer).toString('hex')}`).toString(16)}` };
}

function close(client: Client): Promise<void> {
  return new Promise((resolve) => {
    client.zk.once('disconnected', () => resolve());
    client.zk.close();
  });
}

describe.skipIf(missing !== null)(`kzbench check on histories recorded from Apache ZooKeeper ${distribution.version}`, { timeout: 240_000 }, () => {
  let server: ApacheZooKeeper;
  let dir: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kz-check-zk-'));
    server = await startApacheZooKeeper({ distribution });
  }, 180_000);
  afterAll(async () => {
    for (const c of clients) if (c.zk.getState() !== zookeeper.State.DISCONNECTED) await close(c);
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const cli = async (ops: Op[], name: string, args: string[]) => {
    const path = join(dir, name);
    await writeFile(path, formatHistoryJsonl(ops));
    return runCli(['check', path, ...args]);
  };

  it('the session rules hold for real clients: FIFO replies, watches before data, sequential suffixes, ephemerals gone after close', async () => {
    const h = new HistoryRecorder();
    const [a, b, c] = [await connect('A', server.connectString), await connect('B', server.connectString), await connect('C', server.connectString)];
    clients.push(a, b, c);
    const open = zookeeper.ACL.OPEN_ACL_UNSAFE;
    const mode = zookeeper.CreateMode;
    const create = (cl: Client, path: string, flags: string, m: number) =>
      h.request(cl, 'create', { path, flags }, (done) => cl.zk.create(path, Buffer.from('v'), open, m, (err: Error | null, created: string) => done(err, { path: created ?? path })));
    const get = (cl: Client, path: string, watch: boolean) =>
      h.request(cl, 'get', { path, watch }, (done) =>
        cl.zk.getData(
          path,
          watch ? (e: { getName(): string; getPath(): string }) => h.event(cl, 'watch', { type: e.getName(), path: e.getPath() }) : undefined,
          (err: Error | null, _data: Buffer, stat: { mzxid: Buffer; czxid: Buffer; version: number } | undefined) =>
            done(err, err ? { exists: false } : { exists: true, mzxid: zxidOf(stat!.mzxid), czxid: zxidOf(stat!.czxid), version: stat!.version }),
        ),
      );
    const exists = (cl: Client, path: string) =>
      h.request(cl, 'exists', { path }, (done) =>
        cl.zk.exists(path, (err: Error | null, stat: { mzxid: Buffer; ephemeralOwner: Buffer } | null) =>
          done(err, stat ? { exists: true, mzxid: zxidOf(stat.mzxid), ephemeralOwner: zxidOf(stat.ephemeralOwner) } : { exists: false }),
        ),
      );
    const set = (cl: Client, path: string, data: string) =>
      h.request(cl, 'set', { path }, (done) => cl.zk.setData(path, Buffer.from(data), -1, (err: Error | null, stat: { mzxid: Buffer } | undefined) => done(err, { mzxid: zxidOf(stat?.mzxid) }, zxidOf(stat?.mzxid))));

    await create(a, '/kz', 'persistent', mode.PERSISTENT);
    await create(a, '/kz/reg', 'persistent', mode.PERSISTENT);
    await create(a, '/kz/q', 'persistent', mode.PERSISTENT);
    // A watches /kz/reg; B changes it; A reads it again once notified.
    await get(a, '/kz/reg', true);
    await set(b, '/kz/reg', '1');
    const deadline = Date.now() + 20_000;
    while (!h.ops.some((o) => o.f === 'watch') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await get(a, '/kz/reg', false);
    // Pipelined requests on one client, answered in order.
    await Promise.all([get(a, '/kz/reg', false), exists(a, '/kz/q'), get(a, '/kz/none', false), exists(a, '/kz'), get(a, '/kz', false)]);
    // Sequential children from three clients at once.
    await Promise.all([a, b, c].flatMap((cl) => [1, 2, 3].map(() => create(cl, '/kz/q/n-', 'ephemeral-sequential', mode.EPHEMERAL_SEQUENTIAL))));
    // B reads its own write.
    await set(b, '/kz/reg', '2');
    await get(b, '/kz/reg', false);
    // C's ephemeral goes with its session.
    await create(c, '/kz/eph', 'ephemeral', mode.EPHEMERAL);
    await h.request(c, 'close', {}, (done) => {
      c.zk.once('disconnected', () => done(null));
      c.zk.close();
    });
    await exists(a, '/kz/eph');

    expect(h.ops.filter((o) => o.f === 'watch')).toHaveLength(1);
    const res = await cli(h.ops, 'zk.jsonl', ['--model', 'zookeeper-session', '--json']);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    const result = JSON.parse(res.stdout) as { valid: boolean; stats: { requests: number; events: number } };
    expect(result.stats.events).toBe(1);
    expect(result.stats.requests).toBe(25);

    // The same real history with the watch event moved after A's read of the new data breaks
    // watch-before-data: the rule bites on real data, not only on hand-made histories.
    const watch = h.ops.find((o) => o.f === 'watch')!;
    const readAfter = h.ops.find((o) => o.index > watch.index && o.f === 'get' && o.type === 'ok' && o.client === 'A')!;
    const moved = h.ops.filter((o) => o !== watch);
    moved.splice(moved.indexOf(readAfter) + 1, 0, watch);
    const bad = await cli(moved.map((o, index) => ({ ...o, index })), 'zk-moved.jsonl', ['--model', 'zookeeper-session']);
    expect(bad.code).toBe(3);
    expect(bad.stdout).toMatch(/zk-watch-order: Client A saw the set of \/kz\/reg/);
  });

  it('a register on one ZooKeeper server is linearizable, and a doctored read is caught', async () => {
    const writers = await Promise.all(['R1', 'R2', 'R3', 'R4'].map((n) => connect(n, server.connectString)));
    clients.push(...writers);
    await new Promise<void>((resolve, reject) =>
      writers[0]!.zk.create('/kz-register', Buffer.from('0'), zookeeper.ACL.OPEN_ACL_UNSAFE, zookeeper.CreateMode.PERSISTENT, (err: Error | null) => (err ? reject(err) : resolve())),
    );
    const ops: Op[] = [];
    const push = (op: Omit<Op, 'index'>) => ops.push({ index: ops.length, ...op } as Op);
    const random = seededRandom(42);
    await Promise.all(
      writers.map(async (cl, p) => {
        for (let i = 0; i < 15; i++) {
          if (random() < 0.5) {
            push({ process: p, type: 'invoke', f: 'read', value: null });
            const value = await new Promise<number>((resolve, reject) => cl.zk.getData('/kz-register', (err: Error | null, data: Buffer) => (err ? reject(err) : resolve(Number(data.toString())))));
            push({ process: p, type: 'ok', f: 'read', value });
          } else {
            const v = Math.floor(random() * 5);
            push({ process: p, type: 'invoke', f: 'write', value: v });
            await new Promise<void>((resolve, reject) => cl.zk.setData('/kz-register', Buffer.from(String(v)), -1, (err: Error | null) => (err ? reject(err) : resolve())));
            push({ process: p, type: 'ok', f: 'write', value: v });
          }
        }
      }),
    );
    const good = await cli(ops, 'register.jsonl', ['--model', 'register', '--init', '0']);
    expect(good.code, good.stdout).toBe(0);

    const lastRead = [...ops].reverse().find((o) => o.f === 'read' && o.type === 'ok')!;
    const doctored = ops.map((o) => (o === lastRead ? { ...o, value: 99 } : o));
    const bad = await cli(doctored, 'register-bad.jsonl', ['--model', 'register', '--init', '0']);
    expect(bad.code).toBe(3);
    expect(bad.stdout).toMatch(/can't read 99 from register/);
  });
});
