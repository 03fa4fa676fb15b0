import { silentLogger, type Logger } from '../../../common/logger.js';
import {
  AddWatchMode,
  CreateMode,
  DEFAULT_MAX_FRAME_SIZE,
  ErrorCode,
  EventType,
  JuteReader,
  KeeperState,
  OPEN_ACL_UNSAFE,
  OpCode,
  SpecialXid,
  WatcherEvent,
  WatcherType,
  decodeConnectResponse,
  writeConnectRequest,
  writeRequest,
  type ACL,
  type ClientInfo,
  type Create2Response,
  type GetACLResponse,
  type GetChildren2Response,
  type GetDataResponse,
  type MultiOp,
  type MultiResult,
  type RequestType,
  type Stat,
} from '../../../protocols/zookeeper/index.js';
import { parseConnectString, type HostAddress } from './connect-string.js';
import type { Completion, InFlightRequest } from './in-flight-request.js';
import { completions } from './reply-completions.js';
import { RequestQueue } from './request-queue.js';
import { SocketConnection } from './socket-connection.js';
import { WatchRegistry, type WatchEvent, type Watcher } from './watch-registry.js';
import { ZooKeeperError } from './zookeeper-error.js';

export interface AuthInfo {
  scheme: string;
  /** For digest: `user:password`. */
  auth: string | Buffer;
}

export interface ZooKeeperClientOptions {
  /** `host:port,host:port` or a list; the client connects to one at a time, moving on when it fails. */
  hosts: string | readonly HostAddress[];
  /** Requested session timeout in ms (the server clamps it to [2, 20] ticks). Default 30000. */
  sessionTimeout?: number;
  /**
   * Per connection attempt (TCP connect and handshake), in ms. Default: sessionTimeout / number
   * of hosts (Apache's rule), kept within [1 s, 10 s] so a silent server cannot stall a long
   * session's reconnect.
   */
  connectTimeout?: number;
  /** How long `connect()` keeps trying before it gives up, in ms. Default: sessionTimeout. */
  initialConnectTimeout?: number;
  /** Send the short (pre-3.5, no readOnly byte) ConnectRequest, as old clients do. Default false. */
  shortConnectRequest?: boolean;
  /** Ask for a read-only session (long form only). Default false. */
  readOnly?: boolean;
  /** Credentials sent right after every handshake (and replayed on reconnect). */
  auth?: readonly AuthInfo[];
  /** Reconnect (same session) after a dropped connection. Default true. */
  reconnect?: boolean;
  /** jute.maxbuffer for frames in both directions. Default 0xfffff. */
  maxFrameSize?: number;
  /** Copy data buffers out of the received chunk instead of returning views. Default false. */
  copyData?: boolean;
  /** Re-attach an existing session instead of creating one. */
  session?: { id: bigint; password: Buffer };
  logger?: Logger;
}

/**
 * `connecting`: first connect in progress. `connected`: a session on a live connection.
 * `disconnected`: the connection dropped; reconnecting with the same session. `expired`,
 * `authFailed`, `closed`: terminal.
 */
export type ClientState = 'connecting' | 'connected' | 'disconnected' | 'expired' | 'authFailed' | 'closed';

export interface StateChange {
  state: ClientState;
  /** True for `connected` after a reconnect (the session survived). */
  reconnected: boolean;
  sessionId: bigint;
  /** The server the client is now connected to, when connected. */
  server: HostAddress | undefined;
  /** Why the connection dropped, for `disconnected`. */
  reason?: Error;
}

export interface CreateOptions {
  /** Default OPEN_ACL_UNSAFE. */
  acl?: ACL[];
  /** A CreateMode. Default PERSISTENT. */
  mode?: number;
  /** ms; for the TTL modes (needs zookeeper.extendedTypesEnabled on the server). */
  ttl?: bigint;
}

/** setWatches replays at most this much per message (ClientCnxn's SET_WATCHES_MAX_LENGTH). */
const SET_WATCHES_MAX_BYTES = 128 * 1024;
const TERMINAL: ReadonlySet<ClientState> = new Set(['expired', 'authFailed', 'closed']);
const ZERO_PASSWORD = Buffer.alloc(16);
const TWO_POW_32 = 4294967296;

/**
 * A fast, promise-based ZooKeeper client: one session, many outstanding requests on one
 * connection (replies are matched in xid order), one socket write per tick, replies decoded
 * in place. Pings at a third of the session timeout; reconnects with the same session
 * (replaying auth and watches); reports expiry as a state change. See docs/client-zookeeper.md.
 */
export class ZooKeeperClient {
  private stateValue: ClientState = 'connecting';
  private readonly hosts: HostAddress[];
  private hostCursor = 0;
  private readonly sessionTimeout: number;
  private readonly connectTimeout: number;
  private readonly maxFrameSize: number;
  private readonly logger: Logger;
  private conn: SocketConnection | null = null;
  private sessionIdValue: bigint;
  private passwordValue: Buffer;
  private negotiatedTimeoutValue = 0;
  /** lastZxid kept as two words: every reply carries one, and a BigInt per reply is not free. */
  private lastZxidHigh = 0;
  private lastZxidLow = 0;
  private xid = 0;
  private everConnected = false;
  private closing = false;
  private failedAttempts = 0;
  private readonly inFlight = new RequestQueue<InFlightRequest>();
  /** Submitted while not connected; sent after the next handshake. */
  private waiting: InFlightRequest[] = [];
  private readonly authInfos: { scheme: string; auth: Buffer; waiter?: Waiter }[] = [];
  private readonly authWaiters = new RequestQueue<Waiter | undefined>();
  private readonly watches = new WatchRegistry();
  private readonly reader: JuteReader;
  private readonly stateListeners = new Set<(change: StateChange) => void>();
  private readonly watchListeners = new Set<Watcher>();
  private pingTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private firstConnect: Waiter | undefined;
  private readonly options: ZooKeeperClientOptions;

  private constructor(options: ZooKeeperClientOptions) {
    this.options = options;
    this.hosts = parseConnectString(options.hosts);
    this.sessionTimeout = options.sessionTimeout ?? 30_000;
    this.connectTimeout = options.connectTimeout ?? Math.min(10_000, Math.max(1000, Math.floor(this.sessionTimeout / this.hosts.length)));
    this.maxFrameSize = options.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE;
    this.logger = options.logger ?? silentLogger;
    this.reader = new JuteReader(undefined, 0, 0, { copyBuffers: options.copyData ?? false });
    this.sessionIdValue = options.session?.id ?? 0n;
    this.passwordValue = options.session?.password ?? ZERO_PASSWORD;
    for (const a of options.auth ?? []) this.authInfos.push({ scheme: a.scheme, auth: toBuffer(a.auth) });
  }

  /** Connects and establishes (or re-attaches) a session; rejects if no server accepts within initialConnectTimeout. */
  static async connect(options: ZooKeeperClientOptions): Promise<ZooKeeperClient> {
    const client = new ZooKeeperClient(options);
    const initialAuth = client.authInfos.map((a) => (a.waiter = waiter()).promise);
    const ready = (client.firstConnect = waiter());
    const deadline = setTimeout(
      () => ready.reject(new ZooKeeperError(ErrorCode.CONNECTIONLOSS, 'connect', undefined, {
        message: `no server of ${client.hosts.map((h) => `${h.host}:${h.port}`).join(',')} accepted a session within ${options.initialConnectTimeout ?? client.sessionTimeout} ms`,
      })),
      options.initialConnectTimeout ?? client.sessionTimeout,
    );
    client.openConnection();
    try {
      await ready.promise;
      await Promise.all(initialAuth);
    } catch (e) {
      await client.close();
      throw e;
    } finally {
      clearTimeout(deadline);
      client.firstConnect = undefined;
    }
    return client;
  }

  // ── session facts ────────────────────────────────────────────────────────

  get state(): ClientState {
    return this.stateValue;
  }
  get sessionId(): bigint {
    return this.sessionIdValue;
  }
  get sessionPassword(): Buffer {
    return this.passwordValue;
  }
  /** The timeout the server granted, in ms (0 before the first handshake). */
  get negotiatedTimeout(): number {
    return this.negotiatedTimeoutValue;
  }
  /** The last zxid seen in a reply; sent as lastZxidSeen when reconnecting. */
  get lastZxid(): bigint {
    return (BigInt(this.lastZxidHigh) << 32n) | BigInt(this.lastZxidLow);
  }
  /** Requests sent and not yet answered. */
  get outstanding(): number {
    return this.inFlight.length + this.waiting.length;
  }
  get connectedServer(): HostAddress | undefined {
    return this.conn?.handshakeDone ? this.conn.address : undefined;
  }

  /** Session state changes; returns a function that unsubscribes. */
  onStateChange(listener: (change: StateChange) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Every watch notification the session receives, whoever registered it. */
  onWatchEvent(listener: Watcher): () => void {
    this.watchListeners.add(listener);
    return () => this.watchListeners.delete(listener);
  }

  // ── operations ───────────────────────────────────────────────────────────

  /** Creates a node; resolves with its path (with the sequence suffix for sequential modes). */
  create(path: string, data: Buffer | null = null, options: CreateOptions = {}): Promise<string> {
    if (options.ttl !== undefined) return this.createTTL(path, data, options).then((r) => r.path);
    return this.submit(OpCode.create, { path, data, acl: options.acl ?? OPEN_ACL_UNSAFE, flags: options.mode ?? CreateMode.PERSISTENT }, completions.create, path);
  }

  /** Creates a node and returns its Stat too (create2; containers and TTL nodes use their own opcodes). */
  create2(path: string, data: Buffer | null = null, options: CreateOptions = {}): Promise<Create2Response> {
    const mode = options.mode ?? CreateMode.PERSISTENT;
    if (options.ttl !== undefined) return this.createTTL(path, data, options);
    const type = mode === CreateMode.CONTAINER ? OpCode.createContainer : OpCode.create2;
    return this.submit(type, { path, data, acl: options.acl ?? OPEN_ACL_UNSAFE, flags: mode }, completions.create2, path);
  }

  private createTTL(path: string, data: Buffer | null, options: CreateOptions): Promise<Create2Response> {
    const body = { path, data, acl: options.acl ?? OPEN_ACL_UNSAFE, flags: options.mode ?? CreateMode.PERSISTENT_WITH_TTL, ttl: options.ttl! };
    return this.submit(OpCode.createTTL, body, completions.create2, path);
  }

  /** Deletes a node; `version` -1 matches any version. */
  delete(path: string, version = -1): Promise<void> {
    return this.submit(OpCode.delete, { path, version }, completions.headerOnly, path);
  }

  /** The node's Stat, or null when it does not exist; `watcher` fires on its creation, change or deletion. */
  exists(path: string, watcher?: Watcher): Promise<Stat | null> {
    return this.submit(OpCode.exists, { path, watch: watcher !== undefined }, completions.exists, path, watcher);
  }

  /** Data (a view into the received bytes unless copyData) and Stat; `watcher` fires once on change or deletion. */
  getData(path: string, watcher?: Watcher): Promise<GetDataResponse> {
    return this.submit(OpCode.getData, { path, watch: watcher !== undefined }, completions.getData, path, watcher);
  }

  /** Sets data when the version matches (-1: any); resolves with the new Stat. */
  setData(path: string, data: Buffer | null, version = -1): Promise<Stat> {
    return this.submit(OpCode.setData, { path, data, version }, completions.setData, path);
  }

  getChildren(path: string, watcher?: Watcher): Promise<string[]> {
    return this.submit(OpCode.getChildren, { path, watch: watcher !== undefined }, completions.getChildren, path, watcher);
  }

  getChildren2(path: string, watcher?: Watcher): Promise<GetChildren2Response> {
    return this.submit(OpCode.getChildren2, { path, watch: watcher !== undefined }, completions.getChildren2, path, watcher);
  }

  getACL(path: string): Promise<GetACLResponse> {
    return this.submit(OpCode.getACL, { path }, completions.getACL, path);
  }

  setACL(path: string, acl: ACL[], version = -1): Promise<Stat> {
    return this.submit(OpCode.setACL, { path, acl, version }, completions.setACL, path);
  }

  sync(path: string): Promise<string> {
    return this.submit(OpCode.sync, { path }, completions.sync, path);
  }

  /** Runs ops atomically. Rejects with the failing op's ZooKeeperError (per-op `results` attached). */
  multi(ops: MultiOp[]): Promise<MultiResult[]> {
    return this.submit(OpCode.multi, { ops }, completions.multi, undefined);
  }

  /** Read-only multi (getData/getChildren ops): per-op errors come back as error results. */
  multiRead(ops: MultiOp[]): Promise<MultiResult[]> {
    return this.submit(OpCode.multiRead, { ops }, completions.multiRead, undefined);
  }

  /** A persistent (or persistent-recursive) watch: fires on every change until removed. */
  addWatch(path: string, watcher: Watcher, mode: number = AddWatchMode.PERSISTENT): Promise<void> {
    const completion = mode === AddWatchMode.PERSISTENT_RECURSIVE ? completions.addWatchPersistentRecursive : completions.addWatchPersistent;
    return this.submit(OpCode.addWatch, { path, mode }, completion, path, watcher);
  }

  /**
   * Removes the session's watches of `type` (a WatcherType) on `path`, on the server and here;
   * the removed watchers get a ...WatchRemoved event. Rejects with NOWATCHER when there are none.
   */
  async removeWatches(path: string, type: number = WatcherType.Any): Promise<void> {
    await this.submit(OpCode.removeWatches, { path, type }, completions.headerOnly, path);
    for (const { kind, watcher } of this.watches.remove(path, type)) {
      const eventType = kind === 'child' ? EventType.ChildWatchRemoved : kind === 'data' || kind === 'exist' ? EventType.DataWatchRemoved : EventType.PersistentWatchRemoved;
      this.deliver(watcher, { type: eventType, state: KeeperState.SyncConnected, path, zxid: -1n });
    }
  }

  getEphemerals(prefixPath = '/'): Promise<string[]> {
    return this.submit(OpCode.getEphemerals, { prefixPath }, completions.getEphemerals, prefixPath);
  }

  getAllChildrenNumber(path: string): Promise<number> {
    return this.submit(OpCode.getAllChildrenNumber, { path }, completions.getAllChildrenNumber, path);
  }

  whoAmI(): Promise<ClientInfo[]> {
    return this.submit(OpCode.whoAmI, undefined, completions.whoAmI, undefined);
  }

  /**
   * Adds credentials to the session (replayed after every reconnect). Resolves when the server
   * accepted them; on AUTHFAILED the server closes the connection and the client is dead.
   */
  addAuth(scheme: string, auth: string | Buffer): Promise<void> {
    if (TERMINAL.has(this.stateValue) || this.closing) return Promise.reject(this.deadError('auth', undefined));
    const accepted = waiter();
    const info = { scheme, auth: toBuffer(auth), waiter: accepted };
    this.authInfos.push(info);
    if (this.stateValue === 'connected') this.sendAuth(info);
    return accepted.promise;
  }

  /** Closes the session (closeSession, so ephemerals go at once) and the connection. */
  async close(): Promise<void> {
    if (this.stateValue === 'closed') return;
    if (this.stateValue === 'connected' && !this.closing) {
      const bye = this.submit(OpCode.closeSession, undefined, completions.headerOnly, undefined);
      this.closing = true;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([bye.catch(() => undefined), new Promise((r) => (timer = setTimeout(r, 2000)))]);
      clearTimeout(timer);
    }
    this.closing = true;
    this.terminate('closed', ErrorCode.CONNECTIONLOSS, 'the client was closed');
  }

  // ── request plumbing ─────────────────────────────────────────────────────

  private submit<T>(type: RequestType, body: unknown, completion: Completion, path: string | undefined, watcher?: Watcher): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const request: InFlightRequest = { xid: 0, type, body, path, watcher, completion, resolve: resolve as (v: never) => void, reject };
      if (this.closing || TERMINAL.has(this.stateValue)) reject(this.deadError(type, path));
      else if (this.stateValue === 'connected') this.send(request);
      else this.waiting.push(request);
    });
  }

  private nextXid(): number {
    this.xid = this.xid >= 0x7fffffff ? 1 : this.xid + 1;
    return this.xid;
  }

  private send(request: InFlightRequest): void {
    const conn = this.conn!;
    const xid = this.nextXid();
    try {
      writeRequest(conn.writer, xid, request.type as RequestType, request.body as never, this.maxFrameSize);
    } catch (e) {
      request.reject(e as Error);
      return;
    }
    request.xid = xid;
    request.body = undefined;
    this.inFlight.push(request);
    conn.scheduleFlush();
  }

  private sendAuth(info: { scheme: string; auth: Buffer; waiter?: Waiter }): void {
    const conn = this.conn!;
    writeRequest(conn.writer, SpecialXid.auth, OpCode.auth, { type: 0, scheme: info.scheme, auth: info.auth }, this.maxFrameSize);
    this.authWaiters.push(info.waiter);
    info.waiter = undefined;
    conn.scheduleFlush();
  }

  /** Replays the session's watches after a reconnect, in ≤128 KiB messages (setWatches2 when persistent ones exist). */
  private sendSetWatches(): void {
    const persistent = this.watches.hasPersistent;
    const lists = {
      dataWatches: this.watches.paths('data'),
      existWatches: this.watches.paths('exist'),
      childWatches: this.watches.paths('child'),
      persistentWatches: persistent ? this.watches.paths('persistent') : [],
      persistentRecursiveWatches: persistent ? this.watches.paths('persistentRecursive') : [],
    };
    const relativeZxid = this.lastZxid;
    const keys = Object.keys(lists) as (keyof typeof lists)[];
    let batch = emptyWatchLists();
    let bytes = 0;
    const flush = () => {
      const body = persistent ? { relativeZxid, ...batch } : { relativeZxid, dataWatches: batch.dataWatches, existWatches: batch.existWatches, childWatches: batch.childWatches };
      this.send({
        xid: 0,
        type: persistent ? OpCode.setWatches2 : OpCode.setWatches,
        body,
        path: undefined,
        watcher: undefined,
        completion: (_request, err) => {
          if (err !== 0) this.logger.warn(`watch replay failed: ${new ZooKeeperError(err, 'setWatches').message}`);
        },
        resolve: () => undefined,
        reject: () => undefined,
      });
      batch = emptyWatchLists();
      bytes = 0;
    };
    for (const key of keys) {
      for (const path of lists[key]) {
        const size = Buffer.byteLength(path) + 4;
        if (bytes + size > SET_WATCHES_MAX_BYTES && bytes > 0) flush();
        batch[key].push(path);
        bytes += size;
      }
    }
    if (bytes > 0) flush();
  }

  // ── connection lifecycle ─────────────────────────────────────────────────

  private openConnection(): void {
    const address = this.hosts[this.hostCursor % this.hosts.length]!;
    this.hostCursor++;
    this.logger.debug(`connecting to ${address.host}:${address.port} (session 0x${this.sessionIdValue.toString(16)})`);
    this.conn = new SocketConnection(address, { connectTimeout: this.connectTimeout, maxFrameSize: this.maxFrameSize }, {
      onConnect: (conn) => this.onSocketConnect(conn),
      onFrame: (conn, frame) => this.onFrame(conn, frame),
      onClose: (conn, reason) => this.onConnectionClosed(conn, reason),
    });
  }

  private onSocketConnect(conn: SocketConnection): void {
    if (conn !== this.conn) return;
    writeConnectRequest(conn.writer, {
      protocolVersion: 0,
      lastZxidSeen: this.lastZxid,
      timeOut: this.sessionTimeout,
      sessionId: this.sessionIdValue,
      passwd: this.passwordValue,
      ...(this.options.shortConnectRequest ? {} : { readOnly: this.options.readOnly ?? false }),
    });
    conn.flush();
  }

  private onFrame(conn: SocketConnection, frame: Buffer): void {
    if (conn !== this.conn) return;
    if (!conn.handshakeDone) {
      this.onConnectResponse(conn, frame);
      return;
    }
    const r = this.reader.reset(frame);
    const xid = r.int();
    const zxidHigh = r.int();
    const zxidLow = r.int() >>> 0;
    const err = r.int();
    if (xid === SpecialXid.notification) {
      this.onNotification(zxidHigh, zxidLow, r);
      return;
    }
    if (xid === SpecialXid.ping) return;
    if (xid === SpecialXid.auth) {
      this.onAuthReply(err);
      return;
    }
    if (zxidHigh > 0 || (zxidHigh === 0 && zxidLow > 0)) {
      this.lastZxidHigh = zxidHigh;
      this.lastZxidLow = zxidLow;
    }
    const request = this.inFlight.shift();
    if (request === undefined || request.xid !== xid) {
      request?.reject(new ZooKeeperError(ErrorCode.CONNECTIONLOSS, request.type, request.path, { message: `reply xid ${xid} out of order` }));
      conn.destroy(new Error(`reply xid ${xid} does not match the oldest outstanding request (${request?.xid ?? 'none'}): the server broke xid order`));
      return;
    }
    try {
      request.completion(request, err, r, this.watches);
    } catch (e) {
      // A reply body that does not decode: fail that request, keep the connection (framing is intact).
      request.reject(e as Error);
    }
  }

  private onConnectResponse(conn: SocketConnection, frame: Buffer): void {
    let response;
    try {
      response = decodeConnectResponse(frame);
    } catch (e) {
      conn.destroy(e as Error);
      return;
    }
    if (response.timeOut <= 0) {
      // Apache's answer to an expired (or unknown, or wrong-password) session.
      this.terminate('expired', ErrorCode.SESSIONEXPIRED, 'the session expired');
      return;
    }
    conn.handshakeCompleted();
    const reconnected = this.everConnected;
    this.everConnected = true;
    this.failedAttempts = 0;
    this.sessionIdValue = response.sessionId;
    this.passwordValue = Buffer.from(response.passwd ?? ZERO_PASSWORD);
    this.negotiatedTimeoutValue = response.timeOut;
    this.stateValue = 'connected';
    // Same order as ClientCnxn.primeConnection: auth, watch replay, then queued requests.
    for (const info of this.authInfos) this.sendAuth(info);
    if (reconnected && this.watches.size > 0) this.sendSetWatches();
    const waiting = this.waiting;
    this.waiting = [];
    for (const request of waiting) this.send(request);
    this.startPinger(conn);
    this.emitState({ state: 'connected', reconnected, sessionId: this.sessionIdValue, server: conn.address });
    this.firstConnect?.resolve();
  }

  private onNotification(zxidHigh: number, zxidLow: number, r: JuteReader): void {
    const event = WatcherEvent.decode(r);
    const full: WatchEvent = { type: event.type, state: event.state, path: event.path, zxid: BigInt(zxidHigh) * BigInt(TWO_POW_32) + BigInt(zxidLow) };
    for (const watcher of this.watches.materialize(event.type, event.path)) this.deliver(watcher, full);
    for (const listener of this.watchListeners) this.deliver(listener, full);
  }

  private onAuthReply(err: number): void {
    const w = this.authWaiters.shift();
    if (err === 0) {
      w?.resolve();
      return;
    }
    const error = new ZooKeeperError(err, 'auth');
    w?.reject(error);
    this.firstConnect?.reject(error);
    if (err === ErrorCode.AUTHFAILED) this.terminate('authFailed', ErrorCode.AUTHFAILED, 'the server rejected the credentials');
  }

  private deliver(watcher: Watcher, event: WatchEvent): void {
    try {
      watcher(event);
    } catch (e) {
      this.logger.warn(`a watcher threw on ${event.path}: ${String(e)}`);
    }
  }

  private startPinger(conn: SocketConnection): void {
    clearInterval(this.pingTimer);
    const timeout = this.negotiatedTimeoutValue;
    // Ping after a third of the timeout without sending; give up after two thirds without hearing (ClientCnxn).
    this.pingTimer = setInterval(() => {
      const now = Date.now();
      if (now - conn.lastReceivedAt > (timeout * 2) / 3) {
        conn.destroy(new Error(`no reply from ${conn.address.host}:${conn.address.port} for ${Math.round((timeout * 2) / 3)} ms`));
        return;
      }
      if (now - conn.lastSentAt >= timeout / 3) {
        writeRequest(conn.writer, SpecialXid.ping, OpCode.ping, undefined);
        conn.flush();
      }
    }, Math.max(10, Math.floor(timeout / 6)));
    this.pingTimer.unref();
  }

  private onConnectionClosed(conn: SocketConnection, reason: Error | undefined): void {
    if (conn !== this.conn) return;
    this.conn = null;
    clearInterval(this.pingTimer);
    const wasConnected = conn.handshakeDone;
    this.logger.debug(`connection to ${conn.address.host}:${conn.address.port} closed${reason ? `: ${reason.message}` : ''}`);
    for (const request of this.inFlight.drain()) request.reject(new ZooKeeperError(ErrorCode.CONNECTIONLOSS, request.type, request.path));
    for (const w of this.authWaiters.drain()) w?.reject(new ZooKeeperError(ErrorCode.CONNECTIONLOSS, 'auth'));
    if (TERMINAL.has(this.stateValue)) return;
    if (this.closing) {
      this.terminate('closed', ErrorCode.CONNECTIONLOSS, 'the client was closed');
      return;
    }
    if (!wasConnected) this.failedAttempts++;
    if (this.stateValue === 'connected') {
      this.stateValue = 'disconnected';
      this.emitState({ state: 'disconnected', reconnected: false, sessionId: this.sessionIdValue, server: undefined, reason });
    }
    if (this.everConnected && this.options.reconnect === false) {
      this.terminate('closed', ErrorCode.CONNECTIONLOSS, 'the connection dropped and reconnect is off');
      return;
    }
    // Straight to the next host; after a full round of failures, back off (up to 1 s, jittered).
    const rounds = Math.floor(this.failedAttempts / this.hosts.length);
    const delay = this.failedAttempts > 0 && this.failedAttempts % this.hosts.length === 0 ? Math.min(1000, 50 * 2 ** Math.min(rounds, 5)) * (0.5 + Math.random() / 2) : 0;
    this.logger.debug(`reconnecting in ${Math.round(delay)} ms`);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (!TERMINAL.has(this.stateValue) && !this.closing) this.openConnection();
    }, delay);
  }

  /** Ends the client for good: fails everything outstanding with `code`, drops watches, reports the state. */
  private terminate(state: 'expired' | 'authFailed' | 'closed', code: number, why: string): void {
    if (TERMINAL.has(this.stateValue)) return;
    this.stateValue = state;
    clearInterval(this.pingTimer);
    clearTimeout(this.reconnectTimer);
    const conn = this.conn;
    this.conn = null;
    conn?.destroy();
    const error = (type: number | string, path: string | undefined) => new ZooKeeperError(code, type, path, { message: why });
    for (const request of [...this.inFlight.drain(), ...this.waiting]) request.reject(error(request.type, request.path));
    this.waiting = [];
    for (const w of this.authWaiters.drain()) w?.reject(error('auth', undefined));
    for (const info of this.authInfos) info.waiter?.reject(error('auth', undefined));
    this.watches.clear();
    this.firstConnect?.reject(error('connect', undefined));
    this.emitState({ state, reconnected: false, sessionId: this.sessionIdValue, server: undefined });
  }

  private deadError(type: number | string, path: string | undefined): ZooKeeperError {
    const state = this.closing ? 'closed' : this.stateValue;
    const code = state === 'expired' ? ErrorCode.SESSIONEXPIRED : state === 'authFailed' ? ErrorCode.AUTHFAILED : ErrorCode.CONNECTIONLOSS;
    return new ZooKeeperError(code, type, path, { message: `the client is ${state}` });
  }

  private emitState(change: StateChange): void {
    for (const listener of this.stateListeners) {
      try {
        listener(change);
      } catch (e) {
        this.logger.warn(`a state listener threw: ${String(e)}`);
      }
    }
  }
}

interface Waiter {
  promise: Promise<void>;
  resolve: () => void;
  reject: (e: Error) => void;
}

function waiter(): Waiter {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A waiter nobody awaits (an auth replayed after a reconnect) must not be an unhandled rejection.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

function toBuffer(v: string | Buffer): Buffer {
  return typeof v === 'string' ? Buffer.from(v) : v;
}

function emptyWatchLists(): Record<'dataWatches' | 'existWatches' | 'childWatches' | 'persistentWatches' | 'persistentRecursiveWatches', string[]> {
  return { dataWatches: [], existWatches: [], childWatches: [], persistentWatches: [], persistentRecursiveWatches: [] };
}
