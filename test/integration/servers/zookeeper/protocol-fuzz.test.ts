import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JuteWriter, OpCode, writeConnectRequest, writeRequest, type RequestType } from '../../../../protocols/zookeeper/index.js';
import { RawZkClient } from './support/raw-zk-client.js';
import { startTestServer, type TestServer } from './support/reference-server.js';

/** mulberry32: the fuzz run is reproducible from its seed. */
function rng(seed: number) {
  const next = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    bytes: (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(next() * 256))),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!,
  };
}

const SUPER = 'super:D/InIHSb7yEEbrWz8b9l71RjZJU='; // password "test"
const OPEN = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];

function connectRequest(shortForm: boolean): Buffer {
  const w = new JuteWriter();
  writeConnectRequest(w, { protocolVersion: 0, lastZxidSeen: 0n, timeOut: 400, sessionId: 0n, passwd: Buffer.alloc(16), ...(shortForm ? {} : { readOnly: false }) });
  return w.take();
}

/** Well-formed requests of every kind, to mutate. Any write would need CREATE/WRITE/DELETE/ADMIN, which fuzz sessions lack. */
function validRequests(): Buffer[] {
  const w = new JuteWriter();
  const out: Buffer[] = [];
  const add = <K extends RequestType>(type: K, body: Parameters<typeof writeRequest<K>>[3]) => {
    writeRequest(w, 7, type, body);
    out.push(w.take());
  };
  add(OpCode.create, { path: '/fuzz', data: Buffer.from('x'), acl: OPEN, flags: 0 });
  add(OpCode.create2, { path: '/data/a/child', data: null, acl: OPEN, flags: 3 });
  add(OpCode.createTTL, { path: '/t', data: null, acl: OPEN, flags: 5, ttl: 100n });
  add(OpCode.delete, { path: '/data/a', version: -1 });
  add(OpCode.setData, { path: '/data/b', data: Buffer.from('y'), version: -1 });
  add(OpCode.setACL, { path: '/data', acl: OPEN, version: -1 });
  add(OpCode.getData, { path: '/data/a', watch: true });
  add(OpCode.getChildren2, { path: '/data', watch: true });
  add(OpCode.exists, { path: '/data/zz', watch: true });
  add(OpCode.multi, { ops: [{ type: OpCode.create, body: { path: '/m', data: null, acl: OPEN, flags: 0 } }, { type: OpCode.delete, body: { path: '/data/b', version: -1 } }] });
  add(OpCode.multiRead, { ops: [{ type: OpCode.getData, body: { path: '/data/a', watch: false } }] });
  add(OpCode.setWatches2, { relativeZxid: 0n, dataWatches: ['/data/a'], existWatches: [], childWatches: ['/'], persistentWatches: [], persistentRecursiveWatches: ['/'] });
  add(OpCode.addWatch, { path: '/data', mode: 1 });
  add(OpCode.auth, { type: 0, scheme: 'digest', auth: Buffer.from('u:p') });
  add(OpCode.sasl, { token: Buffer.from('hello') });
  add(OpCode.sync, { path: '/' });
  add(OpCode.ping, undefined);
  add(OpCode.getEphemerals, { prefixPath: '/' });
  add(OpCode.whoAmI, undefined);
  return out;
}

function mutate(r: ReturnType<typeof rng>, frame: Buffer): Buffer {
  const b = Buffer.from(frame);
  switch (r.int(5)) {
    case 0: // flip bits in the body
      for (let i = 0, n = 1 + r.int(4); i < n; i++) {
        const at = 4 + r.int(Math.max(1, b.length - 4));
        if (at < b.length) b[at] = b[at]! ^ (1 << r.int(8));
      }
      return b;
    case 1: {
      // truncate the record but keep the (now lying) length prefix
      return b.subarray(0, 4 + r.int(Math.max(1, b.length - 4)));
    }
    case 2: {
      // fix the length prefix to a truncated body: a short but honest frame
      const cut = 4 + r.int(Math.max(1, b.length - 4));
      const c = Buffer.from(b.subarray(0, cut));
      c.writeInt32BE(cut - 4, 0);
      return c;
    }
    case 3: {
      // overwrite a 4-byte field (length, count, opcode) with a hostile value
      const at = r.int(Math.max(1, b.length - 4));
      b.writeInt32BE(r.pick([-1, -2, 0x7fffffff, -0x80000000, 0x100000, 1000]), at);
      return b;
    }
    default: {
      // append garbage after a valid frame
      return Buffer.concat([b, r.bytes(1 + r.int(64))]);
    }
  }
}

async function session(server: TestServer, chunks: Buffer[], pauseMs = 0): Promise<void> {
  const socket: Socket = connect(server.port, server.host);
  socket.on('error', () => {});
  socket.on('data', () => {});
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  for (const c of chunks) {
    if (socket.destroyed) break;
    socket.write(c);
    if (pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs));
  }
  // Give the server a moment to answer or close, then hang up.
  await new Promise<void>((resolve) => {
    const t = setTimeout(() => {
      socket.destroy();
      resolve();
    }, 30);
    socket.once('close', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

async function treeDump(c: RawZkClient): Promise<string[]> {
  const out: string[] = [];
  const walk = async (p: string): Promise<void> => {
    const d = await c.request(OpCode.getData, { path: p, watch: false });
    const ch = await c.request(OpCode.getChildren2, { path: p, watch: false });
    const acl = await c.request(OpCode.getACL, { path: p });
    out.push(JSON.stringify({ p, d: d.body, ch: ch.body, acl: acl.body }, (_k, v) => (typeof v === 'bigint' ? String(v) : v)));
    for (const child of [...((ch.body as { children: string[] }).children)].sort()) await walk(p === '/' ? `/${child}` : `${p}/${child}`);
  };
  await walk('/');
  return out;
}

describe('protocol fuzzing: random and mutated frames never crash the server or change the tree', () => {
  let server: TestServer;
  let admin: RawZkClient;
  beforeAll(async () => {
    server = await startTestServer({
      tickTime: 100,
      systemProperties: {
        'zookeeper.DigestAuthenticationProvider.superDigest': SUPER,
        'zookeeper.nio.sessionlessCnxnTimeout': '500',
        'zookeeper.extendedTypesEnabled': 'true',
      },
    });
    admin = await RawZkClient.connect(server.host, server.port, { timeout: 2000 });
    await admin.request(OpCode.auth, { type: 0, scheme: 'digest', auth: Buffer.from('super:test') }, -4);
    const readOnly = [{ perms: 1, id: { scheme: 'world', id: 'anyone' } }];
    await admin.request(OpCode.create, { path: '/data', data: Buffer.from('root'), acl: readOnly, flags: 0 });
    await admin.request(OpCode.create, { path: '/data/a', data: Buffer.from('A'), acl: readOnly, flags: 0 });
    await admin.request(OpCode.create, { path: '/data/b', data: null, acl: readOnly, flags: 0 });
    // Fuzz sessions may read everything and write nothing: every write they attempt is rejected.
    await admin.request(OpCode.setACL, { path: '/', acl: readOnly, version: -1 });
  });
  afterAll(async () => {
    admin?.destroy();
    await server?.dispose();
  });

  it('survives 600 hostile connections', async () => {
    const before = await treeDump(admin);
    const r = rng(0xc0ffee);
    const valid = validRequests();
    for (let i = 0; i < 600; i++) {
      const shape = r.int(7);
      const chunks: Buffer[] = [];
      if (shape === 0) chunks.push(r.bytes(1 + r.int(200))); // noise instead of a handshake
      else if (shape === 1) chunks.push(Buffer.from([0x7f, 0xff, 0xff, 0xff]), r.bytes(64)); // huge length
      else if (shape === 2) chunks.push(Buffer.from([0xff, 0xff, 0xff, 0xfe])); // negative length
      else if (shape === 3) chunks.push(mutate(r, connectRequest(r.next() < 0.5))); // mutated handshake
      else {
        chunks.push(connectRequest(r.next() < 0.5));
        for (let k = 0, n = 1 + r.int(12); k < n; k++) {
          if (shape === 4) chunks.push(r.bytes(1 + r.int(100))); // garbage after connect
          else chunks.push(r.next() < 0.3 ? r.pick(valid) : mutate(r, r.pick(valid)));
        }
      }
      await session(server, chunks);
      if (i % 100 === 99) {
        const ping = await admin.request(OpCode.ping, undefined);
        expect(ping.header.err).toBe(0);
      }
    }
    expect(await treeDump(admin)).toEqual(before);
  });

  it('drops slowloris connections: a handshake that never completes, a frame that never ends', async () => {
    const slowHandshake = connect(server.port, server.host);
    slowHandshake.on('error', () => {});
    const half = connectRequest(false).subarray(0, 10);
    for (const byte of half) slowHandshake.write(Buffer.from([byte]));
    const closedWithoutSession = await new Promise<boolean>((resolve) => {
      const t = setTimeout(() => resolve(false), 5000);
      slowHandshake.once('close', () => {
        clearTimeout(t);
        resolve(true);
      });
    });
    expect(closedWithoutSession).toBe(true);

    const stalled = await RawZkClient.connect(server.host, server.port, { timeout: 200 });
    // Start a frame and never finish it: no request completes, so the session is not touched.
    stalled.writeRaw(Buffer.from([0, 0, 0, 100, 0, 0]));
    expect(await stalled.waitClosed(5000)).toBe(true);
  });

  it('is left with only the connections that are still wanted', async () => {
    const deadline = Date.now() + 5000;
    while (server.server.connections.size > 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(server.server.connections.size).toBe(1);
  });
});
