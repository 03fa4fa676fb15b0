import { createServer, connect, type Server, type Socket } from 'node:net';
import { KzbenchError } from '../../common/errors.js';
import { silentLogger, type Logger } from '../../common/logger.js';
import { seededRandom } from '../runner/seeded-random.js';
import { ChunkScheduler, type Pending } from './chunk-scheduler.js';
import { appliesTo, validateToxic, type Toxic, type ToxicDirection, type ToxicSpec } from './toxics.js';

export interface ToxicProxyOptions {
  /** Where the proxy listens (default 127.0.0.1, a free port). */
  listen?: { host?: string; port?: number };
  /** Where it forwards to. */
  upstream: { host: string; port: number };
  /** Source address of upstream connections (in a sandbox, one the redirect rule skips). */
  localAddress?: string;
  /** Seeds the random choices of jitter, loss and slicing. */
  seed?: number;
  log?: Logger;
}

/** Past this many held bytes in one direction the source is paused (backpressure). */
const highWaterBytes = 1 << 20;

/**
 * A TCP proxy in the harness with toxiproxy's toxics (see toxics.ts). Toxics can be added and
 * removed at any time and act on live connections as well as new ones, so a nemesis can
 * degrade the network for an interval and heal it.
 */
export class ToxicProxy {
  private readonly server: Server;
  private readonly toxics = new Map<number, ToxicSpec>();
  private readonly links = new Set<ProxiedConnection>();
  private nextToxicId = 1;
  private closed = false;
  /** Bytes in each direction over every connection so far: read from the source, written on. */
  readonly traffic = { upstream: { received: 0, forwarded: 0 }, downstream: { received: 0, forwarded: 0 } };
  readonly random: () => number;
  private readonly log: Logger;

  private constructor(
    private readonly opts: ToxicProxyOptions,
    server: Server,
  ) {
    this.server = server;
    this.random = seededRandom(opts.seed ?? 1);
    this.log = opts.log ?? silentLogger;
  }

  static async start(opts: ToxicProxyOptions): Promise<ToxicProxy> {
    const server = createServer({ noDelay: true, allowHalfOpen: true });
    const proxy = new ToxicProxy(opts, server);
    server.on('connection', (socket) => proxy.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: opts.listen?.host ?? '127.0.0.1', port: opts.listen?.port ?? 0 }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return proxy;
  }

  get host(): string {
    return (this.server.address() as { address: string }).address;
  }

  get port(): number {
    return (this.server.address() as { port: number }).port;
  }

  get upstream(): { host: string; port: number } {
    return this.opts.upstream;
  }

  /** Live proxied connections. */
  get connections(): number {
    return this.links.size;
  }

  /** Adds a toxic; returns its id for `removeToxic`. */
  addToxic(toxic: Toxic, direction: ToxicDirection = 'both'): number {
    const spec: ToxicSpec = { toxic: validateToxic(toxic), direction };
    const id = this.nextToxicId++;
    this.toxics.set(id, spec);
    for (const link of this.links) link.toxicAdded(spec);
    return id;
  }

  removeToxic(id: number): void {
    if (!this.toxics.delete(id)) return;
    for (const link of this.links) link.toxicsChanged();
  }

  /** Removes every toxic: held data flows again. */
  clearToxics(): void {
    this.toxics.clear();
    for (const link of this.links) link.toxicsChanged();
  }

  activeToxics(direction: 'upstream' | 'downstream'): Toxic[] {
    return [...this.toxics.values()].filter((s) => appliesTo(s, direction)).map((s) => s.toxic);
  }

  /** Stops listening and closes every proxied connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.toxics.clear();
    for (const link of this.links) link.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    if (this.closed) {
      client.destroy();
      return;
    }
    client.setNoDelay(true);
    const upstream = connect({ host: this.opts.upstream.host, port: this.opts.upstream.port, noDelay: true, allowHalfOpen: true, ...(this.opts.localAddress ? { localAddress: this.opts.localAddress } : {}) });
    const link = new ProxiedConnection(this, client, upstream, () => this.links.delete(link));
    this.links.add(link);
    this.log.debug(`proxy ${this.port} → ${this.opts.upstream.host}:${this.opts.upstream.port}: new connection`);
  }
}

/** One client connection and its upstream twin, with a pipe each way. */
class ProxiedConnection {
  private readonly up: DirectionPipe;
  private readonly down: DirectionPipe;
  private readonly timers = new Set<NodeJS.Timeout>();
  private done = false;

  constructor(
    private readonly proxy: ToxicProxy,
    readonly client: Socket,
    readonly server: Socket,
    private readonly onGone: () => void,
  ) {
    this.up = new DirectionPipe(this, 'upstream', client, server);
    this.down = new DirectionPipe(this, 'downstream', server, client);
    for (const socket of [client, server]) {
      socket.on('error', () => this.destroy());
      socket.on('close', () => this.maybeGone());
    }
    for (const toxic of [...proxy.activeToxics('upstream'), ...proxy.activeToxics('downstream')]) this.startTimers(toxic);
  }

  toxics(direction: 'upstream' | 'downstream'): Toxic[] {
    return this.proxy.activeToxics(direction);
  }

  random(): number {
    return this.proxy.random();
  }

  traffic(direction: 'upstream' | 'downstream'): { received: number; forwarded: number } {
    return this.proxy.traffic[direction];
  }

  toxicAdded(spec: ToxicSpec): void {
    this.startTimers(spec.toxic);
    this.toxicsChanged();
  }

  toxicsChanged(): void {
    this.up.pump();
    this.down.pump();
  }

  /** Timed toxics: a reset or a stall that closes, counted from now. */
  private startTimers(toxic: Toxic): void {
    if (toxic.type === 'reset') this.later(toxic.afterMs ?? 0, () => this.reset());
    if (toxic.type === 'stall' && toxic.closeAfterMs !== undefined) {
      this.later(toxic.closeAfterMs, () => {
        // Only if a closing stall is still in force.
        if ([...this.toxics('upstream'), ...this.toxics('downstream')].some((t) => t.type === 'stall' && t.closeAfterMs !== undefined)) this.destroy();
      });
    }
  }

  later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  /** Both sides get an RST, as toxiproxy's reset_peer. */
  reset(): void {
    if (this.done) return;
    for (const socket of [this.client, this.server]) {
      if (typeof socket.resetAndDestroy === 'function' && !socket.destroyed && !socket.connecting) socket.resetAndDestroy();
      else socket.destroy();
    }
    this.finish();
  }

  /** Ends both sides gracefully (what was written still arrives), destroying them if they linger. */
  close(): void {
    if (this.done) return;
    this.client.end();
    this.server.end();
    this.later(1000, () => this.destroy());
  }

  destroy(): void {
    if (this.done) return;
    this.client.destroy();
    this.server.destroy();
    this.finish();
  }

  private maybeGone(): void {
    if (this.client.destroyed && this.server.destroyed) this.finish();
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.up.dispose();
    this.down.dispose();
    this.onGone();
  }
}

/**
 * One direction of a connection. Each chunk gets a release time from the toxics in force
 * when it arrived; chunks leave in order (a TCP stream never reorders), a stall holds them
 * all, and a full destination or a large backlog pauses the source.
 */
class DirectionPipe {
  private readonly queue: Pending[] = [];
  private readonly scheduler: ChunkScheduler;
  private queuedBytes = 0;
  /** Bytes read from the source / written to the destination. */
  received = 0;
  forwarded = 0;
  private timer: NodeJS.Timeout | undefined;
  private waitingDrain = false;
  private sourceEnded = false;
  private closing = false;

  constructor(
    private readonly conn: ProxiedConnection,
    private readonly direction: 'upstream' | 'downstream',
    private readonly source: Socket,
    private readonly destination: Socket,
  ) {
    this.scheduler = new ChunkScheduler(() => conn.random());
    source.on('data', (data: Buffer) => this.onData(data));
    source.on('end', () => {
      this.sourceEnded = true;
      this.pump();
    });
    destination.on('drain', () => {
      this.waitingDrain = false;
      this.pump();
    });
  }

  private onData(data: Buffer): void {
    this.received += data.length;
    this.conn.traffic(this.direction).received += data.length;
    for (const pending of this.scheduler.schedule(data, this.conn.toxics(this.direction), Date.now())) {
      this.queue.push(pending);
      this.queuedBytes += pending.data.length;
    }
    if (this.queuedBytes > highWaterBytes) this.source.pause();
    this.pump();
  }

  /** Sends whatever is due, then waits for the next release time. */
  pump(): void {
    if (this.closing) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    const toxics = this.conn.toxics(this.direction);
    if (toxics.some((t) => t.type === 'stall')) return; // held until the stall is removed
    const limit = toxics.find((t) => t.type === 'limit-data');
    const now = Date.now();
    while (this.queue.length > 0 && !this.waitingDrain) {
      const head = this.queue[0]!;
      if (head.releaseAt > now) {
        this.timer = setTimeout(() => this.pump(), Math.ceil(head.releaseAt - now));
        return;
      }
      this.queue.shift();
      this.queuedBytes -= head.data.length;
      let data = head.data;
      if (limit && limit.type === 'limit-data' && this.forwarded + data.length >= limit.bytes) {
        data = data.subarray(0, Math.max(0, limit.bytes - this.forwarded));
        this.forwarded += data.length;
        this.conn.traffic(this.direction).forwarded += data.length;
        if (data.length > 0 && !this.destination.destroyed) this.destination.write(data);
        this.closing = true;
        this.conn.close();
        return;
      }
      this.forwarded += data.length;
      this.conn.traffic(this.direction).forwarded += data.length;
      if (this.destination.destroyed) return;
      if (!this.destination.write(data)) this.waitingDrain = true;
    }
    if (this.queuedBytes <= highWaterBytes / 2 && this.source.isPaused()) this.source.resume();
    if (this.queue.length === 0 && this.sourceEnded) this.closeDestination(toxics);
  }

  private closeDestination(toxics: Toxic[]): void {
    this.closing = true;
    const slow = toxics.find((t) => t.type === 'slow-close');
    const end = () => {
      if (!this.destination.destroyed) this.destination.end();
    };
    if (slow && slow.type === 'slow-close') this.conn.later(slow.delayMs, end);
    else end();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
    this.queuedBytes = 0;
  }
}

/** Fails clearly when a proxy cannot start (the port is taken, the address is not local). */
export async function startToxicProxy(opts: ToxicProxyOptions): Promise<ToxicProxy> {
  try {
    return await ToxicProxy.start(opts);
  } catch (err) {
    throw new KzbenchError('KZ_NEMESIS_PROXY_FAILED', `could not start a fault proxy for ${opts.upstream.host}:${opts.upstream.port}: ${(err as Error).message}`, undefined, { cause: err });
  }
}
