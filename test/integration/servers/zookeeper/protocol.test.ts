import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpCode } from '../../../../protocols/zookeeper/index.js';
import { RawZkClient } from './support/raw-zk-client.js';
import { startTestServer, type TestServer } from './support/reference-server.js';

const OPEN = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];

function fourLetterWord(server: TestServer, word: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(server.port, server.host, () => s.write(word));
    let out = '';
    s.on('data', (d) => (out += d.toString()));
    s.on('close', () => resolve(out));
    s.on('error', reject);
  });
}

/** Raw-socket checks of the handshake, framing, ordering and session rules. */
describe('client protocol edge cases', () => {
  let server: TestServer;
  beforeAll(async () => {
    // tickTime 100 ms: sessions may be negotiated between 200 ms and 2 s.
    server = await startTestServer({ tickTime: 100, systemProperties: { 'zookeeper.4lw.commands.whitelist': 'srvr,ruok,stat,mntr,envi,wchs,cons,dump,conf' } });
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('answers the long ConnectRequest with the long form and the short with the short, clamping the timeout', async () => {
    const long = await RawZkClient.connect(server.host, server.port, { timeout: 60_000 });
    expect(long.session.readOnly).toBe(false);
    expect(long.session.timeOut).toBe(2000);
    const short = await RawZkClient.connect(server.host, server.port, { timeout: 10, shortForm: true });
    expect(short.session.readOnly).toBeUndefined();
    expect(short.session.timeOut).toBe(200);
    expect(short.session.passwd).toHaveLength(16);
    long.destroy();
    short.destroy();
  });

  it('reattaches a session with its id and password, and answers a wrong password as Apache does', async () => {
    const first = await RawZkClient.connect(server.host, server.port, { timeout: 2000 });
    const { sessionId, passwd } = first.session;
    await first.request(OpCode.create, { path: '/reattach', data: null, acl: OPEN, flags: 1 });
    const second = await RawZkClient.connect(server.host, server.port, { sessionId, passwd: passwd!, timeout: 2000 });
    expect(second.session.sessionId).toBe(sessionId);
    // The first connection of the session is closed when the session moves.
    expect(await first.waitClosed()).toBe(true);
    const owner = (await second.request(OpCode.exists, { path: '/reattach', watch: false })).body as { stat: { ephemeralOwner: bigint } };
    expect(owner.stat.ephemeralOwner).toBe(sessionId);
    const bad = await RawZkClient.connect(server.host, server.port, { sessionId, passwd: Buffer.alloc(16, 7), timeout: 2000 });
    expect(bad.session.timeOut).toBe(0);
    expect(bad.session.sessionId).toBe(0n);
    expect(bad.session.passwd).toEqual(Buffer.alloc(16));
    expect(await bad.waitClosed()).toBe(true);
    second.destroy();
  });

  it('expires an abandoned session: its ephemerals go and watchers hear about it; reconnecting then fails', async () => {
    const watcher = await RawZkClient.connect(server.host, server.port);
    const doomed = await RawZkClient.connect(server.host, server.port, { timeout: 200 });
    await doomed.request(OpCode.create, { path: '/doomed', data: null, acl: OPEN, flags: 1 });
    await watcher.request(OpCode.exists, { path: '/doomed', watch: true });
    const { sessionId, passwd } = doomed.session;
    doomed.destroy();
    await watcher.waitForEvents(1);
    expect(watcher.events[0]!.event).toEqual({ type: 2, state: 3, path: '/doomed' });
    const late = await RawZkClient.connect(server.host, server.port, { sessionId, passwd: passwd!, timeout: 200 });
    expect(late.session.timeOut).toBe(0);
    expect(await late.waitClosed()).toBe(true);
    watcher.destroy();
  });

  it('refuses a client that has seen a later zxid than the server', async () => {
    await expect(RawZkClient.connect(server.host, server.port, { lastZxidSeen: 1n << 40n })).rejects.toThrow(/closed/);
  });

  it('replies in request order with zxids that never go backwards, events first', async () => {
    const c = await RawZkClient.connect(server.host, server.port);
    const pending = [];
    pending.push(c.request(OpCode.create, { path: '/order', data: null, acl: OPEN, flags: 0 }, 1000));
    const setsAfterWatch: number[] = [];
    for (let i = 0; i < 50; i++) {
      const base = 1001 + i * 3;
      pending.push(c.request(OpCode.getData, { path: '/order', watch: i % 10 === 0 }, base));
      pending.push(c.request(OpCode.setData, { path: '/order', data: Buffer.from(String(i)), version: -1 }, base + 1));
      pending.push(c.request(OpCode.create, { path: `/order/${i}`, data: null, acl: OPEN, flags: 0 }, base + 2));
      if (i % 10 === 0) setsAfterWatch.push(base + 1);
    }
    const replies = await Promise.all(pending);
    const xids = c.order.filter((x) => x !== 'event');
    expect(xids).toEqual([...xids].sort((a, b) => (a as number) - (b as number)));
    const zxids = replies.map((r) => r.header.zxid);
    expect(zxids).toEqual([...zxids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    // Each watch fires before the reply of the setData that changed the node, never after.
    expect(c.events).toHaveLength(setsAfterWatch.length);
    let eventNo = 0;
    for (let i = 0; i < c.order.length; i++) {
      if (c.order[i] !== 'event') continue;
      expect(c.order[i + 1]).toBe(setsAfterWatch[eventNo]);
      eventNo++;
    }
    c.destroy();
  });

  it('answers pings with xid -2 and the last zxid', async () => {
    const c = await RawZkClient.connect(server.host, server.port);
    const r = await c.request(OpCode.ping, undefined);
    expect(r.header.xid).toBe(-2);
    expect(r.header.err).toBe(0);
    c.destroy();
  });

  it('answers an unknown opcode and a standalone check with UNIMPLEMENTED, then closes', async () => {
    const c = await RawZkClient.connect(server.host, server.port);
    const r = await c.request(OpCode.check, { path: '/', version: 0 });
    expect(r.header.err).toBe(-6);
    expect(await c.waitClosed()).toBe(true);
    const d = await RawZkClient.connect(server.host, server.port);
    // Request header {xid 9, type 77}: no such opcode.
    d.writeRaw(Buffer.from([0, 0, 0, 8, 0, 0, 0, 9, 0, 0, 0, 77]));
    expect(await d.waitClosed()).toBe(true);
  });

  it('answers a malformed body with MARSHALLINGERROR and keeps the connection', async () => {
    const c = await RawZkClient.connect(server.host, server.port);
    // getData (4) whose path length claims 100 bytes that are not there.
    c.writeRaw(Buffer.from([0, 0, 0, 12, 0, 0, 0, 5, 0, 0, 0, 4, 0, 0, 0, 100]));
    const ok = await c.request(OpCode.exists, { path: '/', watch: false });
    expect(ok.header.err).toBe(0);
    expect(c.order).toContain(5);
    c.destroy();
  });

  it('closes connections whose frame length exceeds jute.maxbuffer', async () => {
    const c = await RawZkClient.connect(server.host, server.port);
    c.writeRaw(Buffer.from([0x00, 0x10, 0x00, 0x00]));
    expect(await c.waitClosed()).toBe(true);
  });

  it('applies closeSession, deleting ephemerals, and closes the socket after the reply', async () => {
    const c = await RawZkClient.connect(server.host, server.port);
    await c.request(OpCode.create, { path: '/bye', data: null, acl: OPEN, flags: 1 });
    const r = await c.request(OpCode.closeSession, undefined);
    expect(r.header.err).toBe(0);
    expect(await c.waitClosed()).toBe(true);
    const check = await RawZkClient.connect(server.host, server.port);
    expect((await check.request(OpCode.exists, { path: '/bye', watch: false })).header.err).toBe(-101);
    check.destroy();
  });

  it('closes the connection after AUTHFAILED', async () => {
    const c = await RawZkClient.connect(server.host, server.port);
    const r = await c.request(OpCode.auth, { type: 0, scheme: 'nosuch', auth: Buffer.from('x') }, -4);
    expect(r.header.err).toBe(-115);
    expect(await c.waitClosed()).toBe(true);
  });

  it('speaks the four-letter words it is allowed to, with Apache’s texts', async () => {
    expect(await fourLetterWord(server, 'ruok')).toBe('imok');
    expect(await fourLetterWord(server, 'srvr')).toMatch(/^Zookeeper version: 3\.9\.\d+-[^\n]*\nLatency min\/avg\/max: \d+\/[\d.]+\/\d+\nReceived: \d+\nSent: \d+\nConnections: \d+\nOutstanding: \d+\nZxid: 0x[0-9a-f]+\nMode: standalone\nNode count: \d+\n$/);
    expect(await fourLetterWord(server, 'envi')).toMatch(/^Environment:\nzookeeper\.version=3\.9\./);
    expect(await fourLetterWord(server, 'mntr')).toMatch(/^zk_version\t3\.9\.[^\n]+\nzk_server_state\tstandalone\n/);
    expect(await fourLetterWord(server, 'wchs')).toMatch(/^\d+ connections watching \d+ paths\nTotal watches:\d+\n$/);
    expect(await fourLetterWord(server, 'isro')).toBe('isro is not executed because it is not in the whitelist.\n');
  });
});
