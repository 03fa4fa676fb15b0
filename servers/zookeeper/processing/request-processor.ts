import {
  CodecError,
  CodecErrorCode,
  JuteReader,
  MalformedRequestError,
  OpCode,
  decodeRequest,
  type AuthPacket,
  type MultiResult,
  type ZkRequest,
} from '../../../protocols/zookeeper/index.js';
import { Code, KeeperError } from '../keeper-error.js';
import type { ClientConnection } from '../network/client-connection.js';
import { Perms, type Acl } from '../tree/acl.js';
import type { ProcessTxnResult } from '../tree/data-tree.js';
import { TxnType, type Txn } from '../tree/txn.js';
import type { ZooKeeperServer } from '../zookeeper-server.js';
import { LOCAL_OWNER, MarshallingError, prepMulti, prepWrite } from './prep-request.js';
import { toWireStat } from './reply-encoder.js';
import { znodeDataBytes } from '../tree/znode-data.js';
import { zookeeperFaults } from '../fault-injection.js';

/** Four-letter op names Apache shows as a connection's last operation (`cons`). */
const LAST_OP: Record<number, string> = {
  [OpCode.ping]: 'PING',
  [OpCode.multi]: 'MULT',
  [OpCode.multiRead]: 'MLTR',
  [OpCode.create]: 'CREA',
  [OpCode.create2]: 'CREA',
  [OpCode.createTTL]: 'CREA',
  [OpCode.createContainer]: 'CREA',
  [OpCode.delete]: 'DELE',
  [OpCode.setData]: 'SETD',
  [OpCode.reconfig]: 'RECO',
  [OpCode.setACL]: 'SETA',
  [OpCode.closeSession]: 'CLOS',
  [OpCode.sync]: 'SYNC',
  [OpCode.check]: 'CHEC',
  [OpCode.exists]: 'EXIS',
  [OpCode.getData]: 'GETD',
  [OpCode.setWatches]: 'SETW',
  [OpCode.setWatches2]: 'STW2',
  [OpCode.addWatch]: 'ADDW',
  [OpCode.getACL]: 'GETA',
  [OpCode.getChildren]: 'GETC',
  [OpCode.getChildren2]: 'GETC',
  [OpCode.getAllChildrenNumber]: 'GETACN',
  [OpCode.checkWatches]: 'CHKW',
  [OpCode.removeWatches]: 'REMW',
  [OpCode.whoAmI]: 'HOMI',
  [OpCode.getEphemerals]: 'GETE',
};

/**
 * Handles every request after the handshake (Apache's request processor chain collapsed into
 * one synchronous step): writes become txns that are logged and applied at once, reads are
 * answered from the tree, and every reply is queued on the connection gated on the zxid it
 * reflects, so it only leaves once that zxid is durable.
 */
export class RequestProcessor {
  /**
   * Buffers stay views into the frame: a txn's data is copied once into the log batch and once
   * into the tree (as a string), and nothing else keeps a request alive past this tick.
   */
  private readonly reader = new JuteReader(Buffer.alloc(0), 0, 0);

  constructor(private readonly server: ZooKeeperServer) {}

  onRequestFrame(conn: ClientConnection, payload: Buffer): void {
    const started = performance.now();
    const server = this.server;
    server.stats.packetsReceived++;
    server.stats.bytesReceived += payload.length + 4;
    let req: ZkRequest;
    try {
      req = decodeRequest(payload, this.reader);
    } catch (err) {
      if (err instanceof MalformedRequestError) {
        this.malformed(conn, err, started);
        return;
      }
      if (err instanceof CodecError) {
        // Not even a RequestHeader: Apache's deserialisation throws and the connection closes.
        server.log.info(`closing connection from ${conn.remoteAddress}:${conn.remotePort}: ${err.message}`);
        conn.destroy();
        return;
      }
      throw err;
    }
    server.sessions.touch(conn.sessionId);
    try {
      this.dispatch(conn, req, started);
    } catch (err) {
      if (!(err instanceof KeeperError)) throw err;
      this.sendError(conn, req.xid, req.type, err.code, started);
    }
  }

  private malformed(conn: ClientConnection, err: MalformedRequestError, started: number): void {
    const { xid, type } = err.header;
    if (err.code === CodecErrorCode.unknownOp) {
      this.unimplemented(conn, xid);
    } else if (type === OpCode.auth || type === OpCode.sasl) {
      conn.destroy();
    } else {
      this.server.log.debug(`MARSHALLINGERROR for xid ${xid} type ${type}: ${err.message}`);
      this.sendError(conn, xid, type, Code.MARSHALLINGERROR, started);
    }
  }

  /** Opcodes Apache does not accept from clients (standalone check, unknown ones): UNIMPLEMENTED, then close. */
  private unimplemented(conn: ClientConnection, xid: number): void {
    conn.send(this.server.encoder.headerOnly(xid, -1, Code.UNIMPLEMENTED), this.server.zxid);
    conn.closeAfterFlush();
  }

  private dispatch(conn: ClientConnection, req: ZkRequest, started: number): void {
    const server = this.server;
    const { tree } = server;
    switch (req.type) {
      case OpCode.create:
      case OpCode.create2:
      case OpCode.createContainer:
      case OpCode.createTTL:
      case OpCode.delete:
      case OpCode.setData:
      case OpCode.setACL:
      case OpCode.multi:
      case OpCode.reconfig:
        this.write(conn, req, started);
        return;
      case OpCode.check:
        this.unimplemented(conn, req.xid);
        return;
      case OpCode.closeSession:
        this.closeSession(conn, req.xid, started);
        return;
      case OpCode.auth:
        this.auth(conn, req.xid, req.body);
        return;
      case OpCode.sasl:
        server.saslNegotiation(conn, req.xid, req.body.token);
        return;
      default:
        break;
    }
    server.sessions.checkSession(conn.sessionId, LOCAL_OWNER);
    const enc = server.encoder;
    const auth = conn.authInfo;
    switch (req.type) {
      case OpCode.ping:
        this.send(conn, OpCode.ping, -2, enc.headerOnly(-2, server.zxid, 0), started);
        return;
      case OpCode.exists: {
        const { path, watch } = req.body;
        if (path.includes('\u0000')) throw new KeeperError(Code.BADARGUMENTS, path);
        const node = tree.getNode(path);
        if (node !== undefined) server.acl.check(node.acl, Perms.READ, auth);
        const stat = tree.statNode(path, watch ? conn : null);
        this.send(conn, req.type, req.xid, enc.reply(req.xid, server.zxid, 0, req.type, { stat: toWireStat(stat) }), started);
        return;
      }
      case OpCode.getData: {
        const { data, stat } = this.getData(conn, req.body.path, req.body.watch);
        this.send(conn, req.type, req.xid, enc.reply(req.xid, server.zxid, 0, req.type, { data, stat: toWireStat(stat) }), started);
        return;
      }
      case OpCode.getChildren: {
        const children = this.getChildren(conn, req.body.path, req.body.watch).children;
        this.send(conn, req.type, req.xid, enc.reply(req.xid, server.zxid, 0, req.type, { children }), started);
        return;
      }
      case OpCode.getChildren2: {
        const { children, stat } = this.getChildren(conn, req.body.path, req.body.watch);
        this.send(conn, req.type, req.xid, enc.reply(req.xid, server.zxid, 0, req.type, { children, stat: toWireStat(stat) }), started);
        return;
      }
      case OpCode.getACL: {
        const { path } = req.body;
        const node = tree.getNode(path);
        if (node === undefined) throw new KeeperError(Code.NONODE, path);
        server.acl.check(node.acl, Perms.READ | Perms.ADMIN, auth);
        const stat = tree.statOf(node);
        // Without ADMIN, digest credentials are masked to "user:x" (ZOOKEEPER-1392).
        const acl: Acl[] = server.acl.allows(node.acl, Perms.ADMIN, auth)
          ? [...node.acl]
          : node.acl.map((a) => (a.id.scheme === 'digest' && a.id.id !== null ? { perms: a.perms, id: { scheme: 'digest', id: a.id.id.replace(/:.*/s, ':x') } } : a));
        this.send(conn, req.type, req.xid, enc.reply(req.xid, server.zxid, 0, req.type, { acl, stat: toWireStat(stat) }), started);
        return;
      }
      case OpCode.getAllChildrenNumber: {
        const { path } = req.body;
        const node = tree.getNode(path);
        if (node === undefined) throw new KeeperError(Code.NONODE, path);
        server.acl.check(node.acl, Perms.READ, auth);
        const totalNumber = tree.getAllChildrenNumber(path);
        this.send(conn, req.type, req.xid, enc.reply(req.xid, server.zxid, 0, req.type, { totalNumber }), started);
        return;
      }
      case OpCode.sync:
        this.send(conn, req.type, req.xid, enc.reply(req.xid, server.zxid, 0, req.type, { path: req.body.path }), started);
        return;
      case OpCode.setWatches:
      case OpCode.setWatches2: {
        const b = req.body;
        tree.setWatches(
          Number(b.relativeZxid),
          {
            data: b.dataWatches,
            exist: b.existWatches,
            child: b.childWatches,
            persistent: 'persistentWatches' in b ? b.persistentWatches : [],
            persistentRecursive: 'persistentRecursiveWatches' in b ? b.persistentRecursiveWatches : [],
          },
          conn,
        );
        this.send(conn, req.type, req.xid, enc.headerOnly(req.xid, server.zxid, 0), started);
        return;
      }
      case OpCode.addWatch:
        tree.addWatch(req.body.path, conn, req.body.mode);
        this.send(conn, req.type, req.xid, enc.reply(req.xid, server.zxid, 0, req.type, { err: 0 }), started);
        return;
      case OpCode.checkWatches:
      case OpCode.removeWatches: {
        const { path, type } = req.body;
        const found = req.type === OpCode.checkWatches ? tree.containsWatcher(path, type, conn) : tree.removeWatch(path, type, conn);
        if (!found) throw new KeeperError(Code.NOWATCHER, path);
        this.send(conn, req.type, req.xid, enc.headerOnly(req.xid, server.zxid, 0), started);
        return;
      }
      case OpCode.getEphemerals: {
        const prefix = req.body.prefixPath;
        const all = tree.getEphemerals(conn.sessionId);
        const trimmed = prefix.trim();
        const ephemerals = trimmed === '' || trimmed === '/' ? all : all.filter((p) => p.startsWith(prefix));
        this.send(conn, req.type, req.xid, enc.reply(req.xid, server.zxid, 0, req.type, { ephemerals }), started);
        return;
      }
      case OpCode.whoAmI:
        this.send(conn, req.type, req.xid, enc.reply(req.xid, server.zxid, 0, req.type, { clientInfo: server.acl.clientInfos(auth) }), started);
        return;
      case OpCode.multiRead: {
        const results: MultiResult[] = [];
        for (const op of req.body.ops) {
          if (op.type !== OpCode.getData && op.type !== OpCode.getChildren) {
            this.sendError(conn, req.xid, req.type, Code.MARSHALLINGERROR, started);
            return;
          }
        }
        for (const op of req.body.ops) {
          try {
            if (op.type === OpCode.getData) {
              const { data, stat } = this.getData(conn, op.body.path, op.body.watch);
              results.push({ type: OpCode.getData, body: { data, stat: toWireStat(stat) } });
            } else if (op.type === OpCode.getChildren) {
              results.push({ type: OpCode.getChildren, body: { children: this.getChildren(conn, op.body.path, op.body.watch).children } });
            }
          } catch (err) {
            if (!(err instanceof KeeperError)) throw err;
            results.push({ type: OpCode.error, err: err.code });
          }
        }
        this.send(conn, req.type, req.xid, enc.reply(req.xid, server.zxid, 0, req.type, { results }), started);
        return;
      }
      default:
        this.unimplemented(conn, (req as { xid: number }).xid);
    }
  }

  private getData(conn: ClientConnection, path: string, watch: boolean) {
    const node = this.server.tree.getNode(path);
    if (node === undefined) throw new KeeperError(Code.NONODE, path);
    this.server.acl.check(node.acl, Perms.READ, conn.authInfo);
    const { data, stat } = this.server.tree.getData(path, watch ? conn : null);
    return zookeeperFaults.readView(path, { data: znodeDataBytes(data), stat }); // off unless --inject-bug stale-read
  }

  private getChildren(conn: ClientConnection, path: string, watch: boolean) {
    const node = this.server.tree.getNode(path);
    if (node === undefined) throw new KeeperError(Code.NONODE, path);
    this.server.acl.check(node.acl, Perms.READ, conn.authInfo);
    return this.server.tree.getChildren(path, watch ? conn : null);
  }

  private write(conn: ClientConnection, req: ZkRequest, started: number): void {
    const server = this.server;
    const lost = zookeeperFaults.lostWrite(req, (p) => { const n = server.tree.getNode(p); return n && server.tree.statOf(n); }, server.zxid); // off unless --inject-bug lost-ack
    if (lost) return this.send(conn, req.type, req.xid, server.encoder.reply(req.xid, server.zxid, 0, req.type, { stat: toWireStat(lost) }), started);
    let txn: Txn;
    try {
      txn = req.type === OpCode.multi ? prepMulti(server.prepContext, (req.body as { ops: never[] }).ops, conn) : prepWrite(server.prepContext, req.type, req.body, conn);
    } catch (err) {
      if (err instanceof KeeperError) txn = { type: TxnType.error, err: err.code };
      else if (err instanceof MarshallingError) txn = { type: TxnType.error, err: Code.MARSHALLINGERROR };
      else throw err;
    }
    const rc = server.commit(conn.sessionId, req.xid, txn);
    const enc = server.encoder;
    const zxid = server.zxid;
    if (rc.err !== 0 && req.type !== OpCode.multi) {
      this.send(conn, req.type, req.xid, enc.headerOnly(req.xid, zxid, rc.err), started);
      return;
    }
    let frame: Buffer;
    switch (req.type) {
      case OpCode.create:
        frame = enc.reply(req.xid, zxid, 0, req.type, { path: rc.path! });
        break;
      case OpCode.create2:
      case OpCode.createContainer:
      case OpCode.createTTL:
        frame = enc.reply(req.xid, zxid, 0, req.type, { path: rc.path!, stat: toWireStat(rc.stat!) });
        break;
      case OpCode.setData:
        frame = enc.reply(req.xid, zxid, 0, req.type, { stat: toWireStat(rc.stat!) });
        break;
      case OpCode.setACL:
        frame = enc.reply(req.xid, zxid, 0, req.type, { stat: toWireStat(rc.stat!) });
        break;
      case OpCode.multi:
        frame =
          txn.type === TxnType.error
            ? enc.headerOnly(req.xid, zxid, txn.err)
            : enc.reply(req.xid, zxid, 0, req.type, { results: (rc.multiResult ?? []).map(multiResult) });
        break;
      default:
        frame = enc.headerOnly(req.xid, zxid, 0);
    }
    this.send(conn, req.type, req.xid, frame, started);
  }

  private closeSession(conn: ClientConnection, xid: number, started: number): void {
    const server = this.server;
    server.sessions.setSessionClosing(conn.sessionId);
    server.commit(conn.sessionId, xid, { type: TxnType.closeSession, paths: server.tree.getEphemerals(conn.sessionId) });
    this.send(conn, OpCode.closeSession, xid, server.encoder.headerOnly(xid, server.zxid, 0), started);
    conn.closeAfterFlush();
  }

  private auth(conn: ClientConnection, xid: number, packet: AuthPacket): void {
    const server = this.server;
    const provider = server.acl.provider(packet.scheme);
    let ids = null;
    if (provider?.authenticate !== undefined && packet.auth !== null) ids = provider.authenticate(conn, packet.auth);
    if (ids !== null && ids.length > 0) {
      for (const id of ids) {
        if (!conn.authInfo.some((a) => a.scheme === id.scheme && a.id === id.id)) conn.authInfo.push(id);
      }
      server.log.info(`session 0x${BigInt.asUintN(64, conn.sessionId).toString(16)}: auth success for scheme ${packet.scheme}`);
      conn.send(server.encoder.headerOnly(xid, 0, 0), server.zxid);
      return;
    }
    server.stats.authFailedCount++;
    server.log.warn(
      provider === undefined ? `no authentication provider for scheme ${packet.scheme}` : `authentication failed for scheme ${packet.scheme}`,
    );
    // Apache answers AUTHFAILED and then closes the connection.
    conn.send(server.encoder.headerOnly(xid, 0, Code.AUTHFAILED), server.zxid);
    conn.closeAfterFlush();
  }

  private sendError(conn: ClientConnection, xid: number, type: number, code: number, started: number): void {
    this.send(conn, type, xid, this.server.encoder.headerOnly(xid, this.server.zxid, code), started);
  }

  private send(conn: ClientConnection, type: number, xid: number, frame: Buffer, started: number): void {
    const zxid = this.server.zxid;
    conn.lastOperation = LAST_OP[type] ?? 'NA';
    conn.lastCxid = xid;
    conn.lastZxid = zxid;
    conn.send(frame, zxid, started);
  }
}

function multiResult(rc: ProcessTxnResult): MultiResult {
  switch (rc.type) {
    case TxnType.check:
      return { type: OpCode.check };
    case TxnType.create:
      return { type: OpCode.create, body: { path: rc.path! } };
    case TxnType.create2:
    case TxnType.createTTL:
    case TxnType.createContainer:
      // Apache's CreateResult(path, stat) always says create2, whichever create it was.
      return { type: OpCode.create2, body: { path: rc.path!, stat: toWireStat(rc.stat!) } };
    case TxnType.delete:
      return { type: OpCode.delete };
    case TxnType.setData:
      return { type: OpCode.setData, body: { stat: toWireStat(rc.stat!) } };
    default:
      return { type: OpCode.error, err: rc.err };
  }
}
