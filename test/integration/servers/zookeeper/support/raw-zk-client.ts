import { connect, type Socket } from 'node:net';
import {
  FrameReader,
  JuteReader,
  JuteWriter,
  OpCode,
  decodeConnectResponse,
  decodeReplyHeader,
  decodeResponseBody,
  decodeWatcherEvent,
  writeConnectRequest,
  writeRequest,
  type ConnectResponse,
  type ReplyHeader,
  type RequestBody,
  type RequestType,
  type WatcherEvent,
} from '../../../../../protocols/zookeeper/index.js';

export interface RawReply {
  header: ReplyHeader;
  body: unknown;
}

export interface RawConnectOptions {
  sessionId?: bigint;
  passwd?: Buffer;
  timeout?: number;
  lastZxidSeen?: bigint;
  /** Send the short ConnectRequest (no readOnly byte), as node-zookeeper-client does. */
  shortForm?: boolean;
}

/**
 * A minimal ZooKeeper client over the shared codec, for tests that must see exact replies
 * (error codes, zxids, notification frames) without a client library in between.
 */
export class RawZkClient {
  private readonly pending = new Map<number, { type: RequestType; resolve: (r: RawReply) => void; reject: (e: Error) => void }>();
  private readonly out = new JuteWriter();
  private flushScheduled = false;
  private readonly reader = new JuteReader();
  readonly events: Array<{ zxid: bigint; event: WatcherEvent }> = [];
  private eventWaiters: Array<() => void> = [];
  private xid = 1;
  closed = false;
  session!: ConnectResponse;
  private closeWaiters: Array<() => void> = [];
  /** Every frame in arrival order: replies by xid, notifications as 'event'. */
  readonly order: Array<number | 'event'> = [];

  private constructor(private readonly socket: Socket) {}

  static async connect(host: string, port: number, opts: RawConnectOptions = {}): Promise<RawZkClient> {
    const socket = connect(port, host);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
    const client = new RawZkClient(socket);
    const handshake = new Promise<ConnectResponse>((resolve, reject) => {
      let first = true;
      const reader = new FrameReader({
        onFrame: (frame) => {
          if (first) {
            first = false;
            resolve(decodeConnectResponse(frame));
            return;
          }
          client.onFrame(frame);
        },
      });
      socket.on('data', (d: Buffer) => reader.push(d));
      socket.on('close', () => {
        client.closed = true;
        if (first) reject(new Error('connection closed during handshake'));
        for (const [xid, p] of client.pending) p.reject(new Error(`connection closed before the reply to xid ${xid}`));
        client.pending.clear();
        for (const w of client.closeWaiters) w();
        for (const w of client.eventWaiters) w();
      });
      socket.on('error', () => {});
    });
    const w = new JuteWriter();
    writeConnectRequest(w, {
      protocolVersion: 0,
      lastZxidSeen: opts.lastZxidSeen ?? 0n,
      timeOut: opts.timeout ?? 30000,
      sessionId: opts.sessionId ?? 0n,
      passwd: opts.passwd ?? Buffer.alloc(16),
      ...(opts.shortForm ? {} : { readOnly: false }),
    });
    socket.write(w.take());
    client.session = await handshake;
    return client;
  }

  private onFrame(frame: Buffer): void {
    const { header, reader } = decodeReplyHeader(frame, this.reader);
    if (header.xid === -1) {
      this.order.push('event');
      this.events.push({ zxid: header.zxid, event: decodeWatcherEvent(reader) });
      const ws = this.eventWaiters;
      this.eventWaiters = [];
      for (const fn of ws) fn();
      return;
    }
    this.order.push(header.xid);
    const key = header.xid === -2 ? -2 : header.xid;
    const p = this.pending.get(key);
    if (p === undefined) return;
    this.pending.delete(key);
    p.resolve({ header, body: header.err === 0 ? decodeResponseBody(p.type, reader) : undefined });
  }

  /** Sends a request and resolves with its reply (or rejects when the connection closes first). */
  request<K extends RequestType>(type: K, body: RequestBody<K>, xid?: number): Promise<RawReply> {
    const id = xid ?? (type === OpCode.ping ? -2 : this.xid++);
    return new Promise((resolve, reject) => {
      if (this.closed) {
        reject(new Error('connection is closed'));
        return;
      }
      this.pending.set(id, { type, resolve, reject });
      writeRequest(this.out, id, type, body, Number.MAX_SAFE_INTEGER);
      // Requests made in one tick leave in one write, as real pipelined clients do.
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        process.nextTick(() => {
          this.flushScheduled = false;
          if (!this.closed) this.socket.write(this.out.take());
          else this.out.take();
        });
      }
    });
  }

  /** Writes raw bytes (for malformed-frame tests). */
  writeRaw(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  async waitForEvents(n: number, timeoutMs = 10000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.events.length < n && !this.closed) {
      if (Date.now() > deadline) throw new Error(`expected ${n} events, got ${this.events.length}`);
      await new Promise<void>((resolve) => {
        this.eventWaiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  waitClosed(timeoutMs = 10000): Promise<boolean> {
    if (this.closed) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), timeoutMs);
      this.closeWaiters.push(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }

  destroy(): void {
    this.socket.destroy();
  }
}
