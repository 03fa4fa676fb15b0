import {
  JuteWriter,
  OpCode,
  SpecialXid,
  decodeConnectResponse,
  decodeReplyHeader,
  decodeResponseBody,
  decodeWatcherEvent,
  writeConnectRequest,
  writeRequest,
  type ConnectResponse,
  type RequestBody,
  type RequestType,
} from '../../../protocols/zookeeper/index.js';
import type { HostAddress } from '../../clients/zookeeper/connect-string.js';
import { SocketConnection } from '../../clients/zookeeper/socket-connection.js';

/** A watch notification as it arrived, with its position relative to the replies. */
export interface ObservedEvent {
  type: number;
  state: number;
  path: string;
  /** The notification header's zxid: -1 from 3.8, the triggering txn's zxid from 3.9. */
  zxid: bigint;
  /** How many replies this connection had received when the event arrived. */
  repliesBefore: number;
}

/** What the server answered to one request, exactly as it came. */
export interface ObservedReply {
  xid: number;
  zxid: bigint;
  err: number;
  /** The decoded success body (undefined for header-only replies and errors). */
  body: unknown;
  /** Raw requests: the body bytes after the header. */
  rawBody?: Buffer;
  /** The body did not decode as the op's reply record. */
  decodeError?: string;
  /** Index of this reply among the connection's replies (1-based). */
  replyIndex: number;
}

/** The connection closed before the reply came. */
export interface ConnectionClosed {
  closed: true;
  reason?: string;
}

export type RequestOutcome = ObservedReply | ConnectionClosed;

export interface ConnectOptions {
  /** Requested session timeout, ms. */
  timeout: number;
  /** Send the pre-3.5 ConnectRequest without the readOnly byte. */
  shortForm?: boolean;
  readOnly?: boolean;
  lastZxidSeen?: bigint;
  /** Re-attach this session instead of creating one. */
  session?: { id: bigint; password: Buffer };
  /** TCP connect plus handshake, ms. */
  connectTimeout?: number;
}

export type ConnectOutcome = { closed: false; response: ConnectResponse } | ConnectionClosed;

interface Pending {
  xid: number;
  type: number;
  raw: boolean;
  resolve(outcome: RequestOutcome): void;
}

/**
 * One session of a conformance scenario, spoken straight through the codec: unlike the fast
 * client it hides nothing. Every reply comes back with its header zxid and error code, every
 * notification with its zxid and its position among the replies, raw frames can be sent, and
 * the connection can be dropped without closeSession (to let the session expire).
 */
export class ScenarioSession {
  readonly events: ObservedEvent[] = [];
  private readonly pending: Pending[] = [];
  private nextXid = 1;
  private repliesReceived = 0;
  private closedValue = false;
  private closeReason: string | undefined;
  private readonly closeWaiters: (() => void)[] = [];

  private constructor(
    private readonly conn: SocketConnection,
    readonly response: ConnectResponse,
    readonly address: HostAddress,
  ) {}

  /**
   * Opens a connection and performs the handshake. Resolves with the session, or with
   * `{closed: true}` when the server drops the connection instead of answering (a lastZxidSeen
   * ahead of the server, a refused read-only request...).
   */
  static connect(address: HostAddress, options: ConnectOptions): Promise<{ session: ScenarioSession } | ConnectionClosed> {
    return new Promise((resolve) => {
      let session: ScenarioSession | undefined;
      const conn = new SocketConnection(address, { connectTimeout: options.connectTimeout ?? 10_000, maxFrameSize: 0x7fffffff }, {
        onConnect: (c) => {
          writeConnectRequest(c.writer, {
            protocolVersion: 0,
            lastZxidSeen: options.lastZxidSeen ?? 0n,
            timeOut: options.timeout,
            sessionId: options.session?.id ?? 0n,
            passwd: options.session?.password ?? Buffer.alloc(16),
            ...(options.shortForm ? {} : { readOnly: options.readOnly ?? false }),
          });
          c.flush();
        },
        onFrame: (c, frame) => {
          if (session) {
            session.onFrame(frame);
            return;
          }
          let response: ConnectResponse;
          try {
            response = decodeConnectResponse(Buffer.from(frame));
          } catch (e) {
            c.destroy(e as Error);
            return;
          }
          c.handshakeCompleted();
          session = new ScenarioSession(c, response, address);
          resolve({ session });
        },
        onClose: (_c, reason) => {
          if (session) session.onClose(reason);
          else resolve({ closed: true, reason: reason?.message });
        },
      });
      void conn;
    });
  }

  get sessionId(): bigint {
    return this.response.sessionId;
  }
  get password(): Buffer {
    return this.response.passwd ?? Buffer.alloc(16);
  }
  get closed(): boolean {
    return this.closedValue;
  }
  get closedReason(): string | undefined {
    return this.closeReason;
  }
  get replies(): number {
    return this.repliesReceived;
  }

  /** Sends one request and waits for its reply (or the connection's end). */
  request<K extends RequestType>(type: K, body: RequestBody<K>, xid = this.takeXid()): Promise<RequestOutcome> {
    return this.send(xid, type, false, (w) => writeRequest(w, xid, type, body));
  }

  /** Sends the auth packet (xid -4): the reply is matched by that xid. */
  auth(scheme: string, auth: Buffer): Promise<RequestOutcome> {
    return this.send(SpecialXid.auth, OpCode.auth, false, (w) => writeRequest(w, SpecialXid.auth, OpCode.auth, { type: 0, scheme, auth }));
  }

  /** Sends a request header with any opcode and arbitrary body bytes. */
  raw(type: number, body: Buffer, xid = this.takeXid()): Promise<RequestOutcome> {
    return this.send(xid, type, true, (w) => {
      const start = w.beginFrame();
      w.int(xid);
      w.int(type);
      w.raw(body);
      w.endFrame(start, 0x7fffffff);
    });
  }

  /** Events received since the last call, in arrival order. */
  takeEvents(): ObservedEvent[] {
    return this.events.splice(0, this.events.length);
  }

  /** Drops the TCP connection without closeSession: the server keeps the session until it expires. */
  dropConnection(): Promise<void> {
    if (this.closedValue) return Promise.resolve();
    const done = new Promise<void>((r) => this.closeWaiters.push(r));
    this.conn.destroy(new Error('dropped by the scenario'));
    return done;
  }

  /** Resolves when the connection is closed (by either side), or after `timeoutMs`; true if closed. */
  waitClosed(timeoutMs: number): Promise<boolean> {
    if (this.closedValue) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(this.closedValue), timeoutMs);
      this.closeWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  private takeXid(): number {
    return this.nextXid++;
  }

  private send(xid: number, type: number, raw: boolean, write: (w: JuteWriter) => void): Promise<RequestOutcome> {
    if (this.closedValue) return Promise.resolve({ closed: true, reason: this.closeReason });
    return new Promise((resolve) => {
      write(this.conn.writer);
      this.pending.push({ xid, type, raw, resolve });
      this.conn.flush();
    });
  }

  private onFrame(view: Buffer): void {
    // Observations outlive the socket chunk the frame is a view of.
    const frame = Buffer.from(view);
    const { header, reader } = decodeReplyHeader(frame);
    if (header.xid === SpecialXid.notification) {
      const event = decodeWatcherEvent(reader);
      this.events.push({ type: event.type, state: event.state, path: event.path, zxid: header.zxid, repliesBefore: this.repliesReceived });
      return;
    }
    // Replies come in request order; a ping answered with xid -2 to a positive-xid ping still
    // belongs to the oldest request, so match by position, then check the xid.
    const index = this.pending.findIndex((p) => p.xid === header.xid);
    const pending = index >= 0 ? this.pending.splice(index, 1)[0]! : this.pending.shift();
    this.repliesReceived++;
    if (!pending) return;
    const reply: ObservedReply = { xid: header.xid, zxid: header.zxid, err: header.err, body: undefined, replyIndex: this.repliesReceived };
    const rest = frame.subarray(frame.length - reader.remaining);
    if (pending.raw) {
      reply.rawBody = Buffer.from(rest);
    } else if (header.err === 0) {
      try {
        reply.body = decodeResponseBody(pending.type as RequestType, reader);
      } catch (e) {
        reply.decodeError = (e as Error).message;
        reply.rawBody = Buffer.from(rest);
      }
    }
    pending.resolve(reply);
  }

  private onClose(reason: Error | undefined): void {
    this.closedValue = true;
    this.closeReason = reason?.message;
    for (const p of this.pending.splice(0)) p.resolve({ closed: true, reason: this.closeReason });
    for (const w of this.closeWaiters.splice(0)) w();
  }
}

export function isClosed(outcome: RequestOutcome): outcome is ConnectionClosed {
  return 'closed' in outcome;
}
