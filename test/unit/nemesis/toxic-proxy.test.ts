import { randomBytes } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ToxicProxy } from '../../../workloads/nemesis/toxic-proxy.js';

/** An echo server that also counts what it received. */
async function echoServer(): Promise<{ server: Server; port: number; received: () => number; sockets: Set<Socket> }> {
  let received = 0;
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    s.on('data', (d) => {
      received += d.length;
      s.write(d);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as { port: number }).port, received: () => received, sockets };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(5);
}

function collect(socket: Socket): { bytes: () => Buffer; closed: Promise<Error | undefined> } {
  const chunks: Buffer[] = [];
  socket.on('data', (d) => chunks.push(d));
  let error: Error | undefined;
  socket.on('error', (e) => (error = e));
  return { bytes: () => Buffer.concat(chunks), closed: new Promise((r) => socket.on('close', () => r(error))) };
}

describe('toxic proxy', () => {
  let echo: Awaited<ReturnType<typeof echoServer>>;
  let proxy: ToxicProxy;
  const clients: Socket[] = [];

  beforeEach(async () => {
    echo = await echoServer();
    proxy = await ToxicProxy.start({ upstream: { host: '127.0.0.1', port: echo.port }, seed: 3 });
  });
  afterEach(async () => {
    for (const c of clients) c.destroy();
    await proxy.close();
    for (const s of echo.sockets) s.destroy();
    await new Promise((r) => echo.server.close(r));
  });

  function client(): Socket {
    const c = connect(proxy.port, '127.0.0.1');
    clients.push(c);
    return c;
  }

  it('passes a large stream through both ways unchanged', async () => {
    const payload = randomBytes(2 * 1024 * 1024 + 17);
    const c = client();
    const got = collect(c);
    c.write(payload);
    await until(() => got.bytes().length >= payload.length);
    expect(got.bytes().equals(payload)).toBe(true);
    expect(proxy.traffic.upstream.forwarded).toBe(payload.length);
  });

  it('still delivers every byte in order under latency, loss and slicing', async () => {
    proxy.addToxic({ type: 'latency', latencyMs: 5, jitterMs: 5 });
    proxy.addToxic({ type: 'loss', probability: 0.3, retransmitMs: 5 }, 'downstream');
    proxy.addToxic({ type: 'slicer', averageSize: 100, sizeVariation: 50 }, 'upstream');
    const payload = randomBytes(64 * 1024);
    const c = client();
    const got = collect(c);
    c.write(payload);
    await until(() => got.bytes().length >= payload.length);
    expect(got.bytes().equals(payload)).toBe(true);
  });

  it('stall holds data (nothing reaches the server) until the toxic is removed', async () => {
    const id = proxy.addToxic({ type: 'stall' }, 'upstream');
    const c = client();
    const got = collect(c);
    c.write('held bytes');
    await until(() => proxy.traffic.upstream.received === 10);
    expect(proxy.traffic.upstream.forwarded).toBe(0);
    expect(echo.received()).toBe(0);
    proxy.removeToxic(id);
    await until(() => got.bytes().length === 10);
    expect(got.bytes().toString()).toBe('held bytes');
  });

  it('reset kills live connections with an RST', async () => {
    const c = client();
    const got = collect(c);
    c.write('x');
    await until(() => got.bytes().length === 1);
    proxy.addToxic({ type: 'reset', afterMs: 0 });
    const err = await got.closed;
    expect((err as NodeJS.ErrnoException | undefined)?.code).toBe('ECONNRESET');
  });

  it('limit-data closes the connection after exactly that many bytes', async () => {
    proxy.addToxic({ type: 'limit-data', bytes: 10 }, 'upstream');
    const c = client();
    const got = collect(c);
    c.write(Buffer.alloc(100, 7));
    await got.closed;
    await until(() => echo.received() === 10 || echo.sockets.size === 0);
    expect(echo.received()).toBe(10);
    expect(proxy.traffic.upstream.forwarded).toBe(10);
  });

  it('clearToxics heals every direction and close ends every connection', async () => {
    proxy.addToxic({ type: 'stall' });
    const c = client();
    const got = collect(c);
    c.write('abc');
    await until(() => proxy.traffic.upstream.received === 3);
    proxy.clearToxics();
    await until(() => got.bytes().length === 3);
    await proxy.close();
    await got.closed;
    expect(proxy.connections).toBe(0);
  });
});
