import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from '../../common/logger.js';
import { silentLogger } from '../../common/logger.js';
import { OpCode, decodeConnectRequest, type CodecError, type FourLetterWord } from '../../protocols/zookeeper/index.js';
import { AclChecker } from './auth/acl-checker.js';
import { DigestMd5Server, SaslError } from './auth/sasl-digest-md5.js';
import { loadSaslUsers } from './auth/sasl-users.js';
import { Code } from './keeper-error.js';
import type { ServerConfig } from './config/server-config.js';
import { ClientConnection, type ConnectionHost } from './network/client-connection.js';
import { Perms, type Acl } from './tree/acl.js';
import { LOCAL_OWNER, type PrepContext } from './processing/prep-request.js';
import { ReplyEncoder } from './processing/reply-encoder.js';
import { RequestProcessor } from './processing/request-processor.js';
import { QuotaEnforcer } from './quota/quota-enforcer.js';
import { systemClock, type Clock } from './session/clock.js';
import { checkPassword, generatePassword } from './session/session-password.js';
import { SessionTracker, type Session } from './session/session-tracker.js';
import { Persistence } from './storage/persistence.js';
import type { DataTree, ProcessTxnResult } from './tree/data-tree.js';
import { TxnType, type Txn } from './tree/txn.js';
import type { WatchedEvent } from './watch/watch-types.js';
import { ServerStats } from './ops/server-stats.js';
import { skewableClock, zookeeperFaults } from './fault-injection.js';

export interface ZooKeeperServerOptions {
  config: ServerConfig;
  log?: Logger;
  clock?: Clock;
}

/** The Apache version whose behaviour the reference server matches (reported by envi/srvr/mntr). */
export const MATCHED_ZOOKEEPER_VERSION = '3.9.5';

/**
 * The reference ZooKeeper server: a standalone Apache ZooKeeper speaking the real client
 * protocol, durable through its own txn log and snapshots. One instance owns one data
 * directory and one client port.
 */
export class ZooKeeperServer implements ConnectionHost {
  readonly config: ServerConfig;
  readonly log: Logger;
  readonly clock: Clock;
  readonly stats = new ServerStats();
  readonly encoder = new ReplyEncoder();
  readonly acl: AclChecker;
  readonly persistence: Persistence;
  tree!: DataTree;
  sessions!: SessionTracker;
  prepContext!: PrepContext;
  private processor!: RequestProcessor;
  private netServer: Server | null = null;
  readonly connections = new Set<ClientConnection>();
  private readonly bySession = new Map<bigint, ClientConnection>();
  private readonly perAddress = new Map<string, number>();
  private readonly blocked = new Set<ClientConnection>();
  private readonly sessionlessTimeoutMs: number;
  private running = false;
  private fatal: Error | null = null;
  private closing: Promise<void> | null = null;
  readonly startedAt = Date.now();

  private constructor(opts: ZooKeeperServerOptions) {
    this.config = opts.config;
    this.log = opts.log ?? silentLogger;
    this.clock = skewableClock(opts.clock ?? systemClock, zookeeperFaults.clockOffsetFile); // the nemesis's clock skew: off unless asked
    this.sessionlessTimeoutMs = this.config.sessionlessCnxnTimeoutMs;
    this.acl = new AclChecker({
      superDigest: this.config.superDigest,
      digestAuthEnabled: this.config.digestAuthEnabled,
      extraProviders: this.config.authProviders,
      skipAcl: this.config.skipAcl,
    });
    ({ users: this.saslUsers, superUsers: this.saslSuperUsers } = loadSaslUsers(this.config));
    this.persistence = new Persistence({
      dataDir: this.config.dataDir,
      dataLogDir: this.config.dataLogDir,
      forceSync: this.config.forceSync,
      preAllocSize: this.config.preAllocSize,
      log: this.log.child('storage'),
      onFatal: (err) => this.onFatal(err),
    });
  }

  /** Recovers the data directory and starts listening on the configured address. */
  static async start(opts: ZooKeeperServerOptions): Promise<ZooKeeperServer> {
    const server = new ZooKeeperServer(opts);
    server.recover();
    await server.listen();
    return server;
  }

  private recover(): void {
    const cfg = this.config;
    const recovered = this.persistence.recover({
      extendedTypesEnabled: cfg.extendedTypesEnabled,
      emulate353TtlNodes: cfg.emulate353TtlNodes,
    });
    this.tree = recovered.tree;
    this.sessions = new SessionTracker(cfg.tickTime, 0, this.clock, (s) => this.expire(s));
    this.prepContext = {
      tree: this.tree,
      acl: this.acl,
      sessions: this.sessions,
      quota: new QuotaEnforcer(this.tree, cfg.enforceQuota, this.log.child('quota')),
      ephemeralTypes: { extendedTypesEnabled: cfg.extendedTypesEnabled, emulate353TtlNodes: cfg.emulate353TtlNodes },
      reconfigEnabled: cfg.reconfigEnabled,
    };
    this.processor = new RequestProcessor(this);
    this.persistence.log.onDurable(() => this.releaseBlocked());
    for (const [id, timeout] of recovered.sessions) this.sessions.trackSession(id, timeout);
    // Ephemerals whose session is gone (it closed in a txn we lost, or never committed) die now,
    // as Apache's loadData kills "dead sessions".
    for (const owner of this.tree.sessionsWithEphemerals()) {
      if (!recovered.sessions.has(owner)) {
        this.commit(owner, 0, { type: TxnType.closeSession, paths: this.tree.getEphemerals(owner) });
      }
    }
    this.sessions.start();
    this.running = true;
    if (recovered.replayedTxns > 0 || recovered.snapshotFile === null) this.takeSnapshot();
  }

  private listen(): Promise<void> {
    const server = createServer((socket) => this.accept(socket));
    this.netServer = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port: this.config.clientPort, host: this.config.clientPortAddress }, () => {
        server.off('error', reject);
        server.on('error', (err) => this.log.error(`client listener: ${err.message}`));
        const addr = this.address;
        this.log.info(`serving ZooKeeper clients on ${addr.host}:${addr.port} (data ${this.config.dataDir})`);
        if (zookeeperFaults.banner) this.log.warn(zookeeperFaults.banner);
        resolve();
      });
    });
  }

  get address(): { host: string; port: number } {
    const addr = this.netServer?.address();
    if (addr === null || addr === undefined || typeof addr === 'string') return { host: this.config.clientPortAddress, port: this.config.clientPort };
    return { host: addr.address, port: addr.port };
  }

  // ---- ConnectionHost ------------------------------------------------------------------------

  get maxFrameSize(): number {
    return this.config.juteMaxBuffer;
  }

  get durableZxid(): number {
    return this.persistence.log.durableZxid;
  }

  /** The last zxid assigned (and applied: txns are applied as soon as they are logged). */
  get zxid(): number {
    return this.tree.lastProcessedZxid;
  }

  private accept(socket: Socket): void {
    if (!this.running) {
      socket.destroy();
      return;
    }
    const conn = new ClientConnection(socket, this, this.sessionlessTimeoutMs);
    const max = this.config.maxClientCnxns;
    const count = (this.perAddress.get(conn.remoteAddress) ?? 0) + 1;
    if (max > 0 && count > max) {
      this.log.warn(`Too many connections from ${conn.remoteAddress} - max is ${max}`);
      this.stats.connectionRejected++;
      conn.destroy();
      return;
    }
    this.perAddress.set(conn.remoteAddress, count);
    this.connections.add(conn);
  }

  onConnectFrame(conn: ClientConnection, payload: Buffer): void {
    let req;
    try {
      req = decodeConnectRequest(payload);
    } catch (err) {
      this.log.info(`closing connection from ${conn.remoteAddress}: bad ConnectRequest (${(err as Error).message})`);
      this.stats.unsuccessfulHandshakes++;
      conn.destroy();
      return;
    }
    this.stats.packetsReceived++;
    this.stats.connectionRequests++;
    conn.initialized = true;
    conn.shortConnectForm = req.readOnly === undefined;
    if (req.lastZxidSeen > BigInt(this.zxid)) {
      this.log.info(
        `Refusing session request for client ${conn.remoteAddress} as it has seen zxid 0x${req.lastZxidSeen.toString(16)} ` +
          `our last zxid is 0x${this.zxid.toString(16)} client must try another server`,
      );
      conn.destroy();
      return;
    }
    const timeout = Math.min(Math.max(req.timeOut, this.config.minSessionTimeout), this.config.maxSessionTimeout);
    conn.sessionTimeout = timeout;
    if (req.sessionId === 0n) {
      const id = this.sessions.createSession(timeout);
      conn.sessionId = id;
      this.sessions.setOwner(id, LOCAL_OWNER);
      this.commit(id, 0, { type: TxnType.createSession, timeout });
      this.finishSessionInit(conn, true);
      return;
    }
    const id = req.sessionId;
    const previous = this.bySession.get(id);
    if (previous !== undefined && previous !== conn) previous.destroy();
    conn.sessionId = id;
    this.stats.revalidations++;
    const valid = checkPassword(id, req.passwd) && this.sessions.touchSession(id, timeout);
    if (!valid) this.log.info(`Invalid session 0x${BigInt.asUintN(64, id).toString(16)} for client ${conn.remoteAddress}, probably expired`);
    this.finishSessionInit(conn, valid);
  }

  private finishSessionInit(conn: ClientConnection, valid: boolean): void {
    const id = conn.sessionId;
    const frame = this.encoder.connectResponse(
      {
        protocolVersion: 0,
        timeOut: valid ? conn.sessionTimeout : 0,
        sessionId: valid ? id : 0n,
        passwd: valid ? generatePassword(id) : Buffer.alloc(16),
        readOnly: false,
      },
      conn.shortConnectForm,
    );
    conn.send(frame, this.zxid);
    if (valid) {
      conn.markEstablished();
      this.bySession.set(id, conn);
    } else {
      conn.closeAfterFlush();
    }
  }

  onRequestFrame(conn: ClientConnection, payload: Buffer): void {
    if (this.fatal !== null) return;
    this.processor.onRequestFrame(conn, payload);
  }

  onFourLetterWord(conn: ClientConnection, word: FourLetterWord): void {
    const run = this.fourLetterWordHandler;
    if (run === null) {
      conn.writeAndClose('');
      return;
    }
    Promise.resolve(run(word, conn)).then(
      (text) => conn.writeAndClose(text),
      (err: Error) => {
        this.log.warn(`four-letter word ${word} failed: ${err.message}`);
        conn.destroy();
      },
    );
  }

  /** Set by the operations layer (ops/four-letter-words.ts). */
  fourLetterWordHandler: ((word: FourLetterWord, conn: ClientConnection) => string | Promise<string>) | null = null;

  onBadFrame(conn: ClientConnection, err: CodecError): void {
    this.log.info(`closing connection from ${conn.remoteAddress}:${conn.remotePort}: ${err.message}`);
    conn.destroy();
  }

  onWatchEvent(conn: ClientConnection, event: WatchedEvent, acl: readonly Acl[] | null): void {
    // 3.9 (CVE-2024-23944): an event is delivered only if the session may read the znode.
    if (acl !== null && !this.acl.allows(acl, Perms.READ, conn.authInfo)) return;
    const frame = this.encoder.notification(event);
    this.stats.watchBytes += frame.length;
    conn.send(frame, Math.max(event.zxid, this.zxid));
  }

  onClosed(conn: ClientConnection): void {
    if (!this.connections.delete(conn)) return;
    this.blocked.delete(conn);
    this.tree?.removeWatcher(conn);
    if (this.bySession.get(conn.sessionId) === conn) this.bySession.delete(conn.sessionId);
    const n = (this.perAddress.get(conn.remoteAddress) ?? 1) - 1;
    if (n <= 0) this.perAddress.delete(conn.remoteAddress);
    else this.perAddress.set(conn.remoteAddress, n);
  }

  markBlocked(conn: ClientConnection): void {
    this.blocked.add(conn);
  }

  onFramesSent(_conn: ClientConnection, count: number, bytes: number, latencies: number[]): void {
    this.stats.packetsSent += count;
    this.stats.recordResponseSize(bytes);
    for (const ms of latencies) this.stats.recordLatency(Math.round(ms));
  }

  private releaseBlocked(): void {
    if (this.blocked.size === 0) return;
    const conns = [...this.blocked];
    this.blocked.clear();
    for (const conn of conns) conn.release();
  }

  // ---- txns ----------------------------------------------------------------------------------

  /**
   * Assigns the next zxid to `txn`, appends it to the log and applies it to the tree. Replies
   * built afterwards are gated on this zxid, so they leave only once it is durable.
   */
  commit(sessionId: bigint, cxid: number, txn: Txn): ProcessTxnResult {
    const header = { sessionId, cxid, zxid: this.zxid + 1, time: this.clock.wall(), type: txn.type };
    this.persistence.log.append({ header, txn });
    const rc = this.tree.processTxn(header, txn);
    if (txn.type === TxnType.closeSession) {
      this.sessions.removeSession(sessionId);
    }
    if (this.persistence.log.txnsSinceRoll >= this.config.snapCount && !this.persistence.snapshotInProgress) this.takeSnapshot();
    return rc;
  }

  /** Rolls the log and writes a snapshot in the background. */
  takeSnapshot(): Promise<unknown> | null {
    const sessions = this.sessions.all().map((s) => ({ id: s.id, timeout: s.timeout }));
    const done = this.persistence.snapshot(this.tree, sessions, () => this.clock.wall());
    done?.then(
      () => {
        this.stats.snapshotCount++;
      },
      () => {},
    );
    return done;
  }

  private expire(session: Session): void {
    if (!this.running) return;
    this.log.info(`Expiring session 0x${BigInt.asUintN(64, session.id).toString(16)}, timeout of ${session.timeout}ms exceeded`);
    this.stats.staleSessionsExpired++;
    this.commit(session.id, 0, { type: TxnType.closeSession, paths: this.tree.getEphemerals(session.id) });
    const conn = this.bySession.get(session.id);
    if (conn !== undefined) {
      this.bySession.delete(session.id);
      conn.destroy();
    }
  }

  /**
   * SASL (opcode 102): DIGEST-MD5 with the users of the JAAS Server section. Without one,
   * Apache logs an error and answers OK with a null token; so do we.
   */
  saslNegotiation(conn: ClientConnection, xid: number, token: Buffer | null): void {
    if (this.saslUsers === null) {
      this.log.error('SASL requested but no JAAS Server section is configured (java.security.auth.login.config)');
      conn.send(this.encoder.reply(xid, 0, 0, OpCode.sasl, { token: null }), this.zxid);
      return;
    }
    const server = (conn.sasl ??= new DigestMd5Server(this.saslUsers)) as DigestMd5Server;
    try {
      const step = server.evaluate(token ?? Buffer.alloc(0));
      if (step.authorizationId !== undefined) {
        const id = step.authorizationId;
        conn.authInfo.push({ scheme: 'sasl', id });
        if (this.saslSuperUsers.has(id)) conn.authInfo.push({ scheme: 'super', id: '' });
        this.log.info(`session 0x${BigInt.asUintN(64, conn.sessionId).toString(16)}: adding SASL authorization for authorizationID: ${id}`);
      }
      conn.send(this.encoder.reply(xid, 0, 0, OpCode.sasl, { token: step.response }), this.zxid);
    } catch (err) {
      if (!(err instanceof SaslError)) throw err;
      this.stats.authFailedCount++;
      this.log.warn(`client ${conn.remoteAddress} failed to SASL authenticate: ${err.message}`);
      conn.send(this.encoder.saslFailure(xid, Code.AUTHFAILED), this.zxid);
      conn.closeAfterFlush();
    }
  }

  private readonly saslUsers: ReadonlyMap<string, string> | null;
  private readonly saslSuperUsers: ReadonlySet<string>;

  /** The error that stopped the server (a failed log write or fsync), if any. */
  get fatalError(): Error | null {
    return this.fatal;
  }

  private readonly stoppedListeners: Array<() => void> = [];

  /** Runs `fn` once the server has stopped (close() finished, or a fatal log error). */
  onStopped(fn: () => void): void {
    this.stoppedListeners.push(fn);
  }

  private onFatal(err: Error): void {
    if (this.fatal !== null) return;
    this.fatal = err;
    this.log.error(`transaction log failed (${err.message}); stopping: durability can no longer be guaranteed`);
    void this.close();
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Stops accepting, closes every connection, flushes and closes the log. Sessions survive on disk. */
  close(): Promise<void> {
    if (this.closing !== null) return this.closing;
    this.running = false;
    this.closing = (async () => {
      this.sessions?.stop();
      const srv = this.netServer;
      // net.Server.close() waits for open connections, so they are destroyed first.
      const listenerClosed = srv === null ? Promise.resolve() : new Promise<void>((resolve) => srv.close(() => resolve()));
      for (const conn of [...this.connections]) conn.destroy();
      await listenerClosed;
      await this.persistence.close();
      await this.persistence.snapshotDone();
      this.log.info('ZooKeeper server stopped');
      for (const fn of this.stoppedListeners) fn();
    })();
    return this.closing;
  }
}
