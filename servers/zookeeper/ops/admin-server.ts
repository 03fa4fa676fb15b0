import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../../../common/logger.js';
import type { ServerConfig } from '../config/server-config.js';
import type { ClientConnection } from '../network/client-connection.js';
import type { ZooKeeperServer } from '../zookeeper-server.js';
import type { FourLetterWords } from './four-letter-words.js';
import { jacksonPretty, type JsonValue } from './jackson-json.js';
import { FULL_VERSION, type ServerReport } from './server-report.js';

type Json = { [key: string]: JsonValue };
type CommandRun = () => Json;

/**
 * Apache's AdminServer (`admin.enableServer`, `admin.serverAddress`, `admin.serverPort`,
 * `admin.commandURL`): GET <commandURL>/<name> answers JSON with the command's data plus
 * "command" and "error", under the same names and aliases as Apache's `Commands`.
 */
export class AdminServer {
  private readonly commands = new Map<string, { primary: string; run: CommandRun }>();
  private readonly primaries: string[] = [];

  private constructor(
    private readonly http: Server,
    private readonly commandUrl: string,
    readonly url: string,
  ) {}

  static async start(
    zk: ZooKeeperServer,
    report: ServerReport,
    words: FourLetterWords,
    admin: ServerConfig['admin'],
    log: Logger,
  ): Promise<AdminServer> {
    const http = createServer();
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen({ port: admin.port, host: admin.address }, () => {
        http.off('error', reject);
        resolve();
      });
    });
    const addr = http.address();
    const port = addr !== null && typeof addr !== 'string' ? addr.port : admin.port;
    const host = admin.address === '0.0.0.0' ? '127.0.0.1' : admin.address;
    const server = new AdminServer(http, admin.commandUrl.replace(/\/$/, ''), `http://${host}:${port}${admin.commandUrl}`);
    server.registerAll(zk, report, words);
    http.on('request', (req, res) => server.handle(req, res));
    log.info(`AdminServer on ${server.url}`);
    return server;
  }

  private register(names: string[], run: CommandRun): void {
    this.primaries.push(names[0]!);
    for (const n of names) this.commands.set(n, { primary: names[0]!, run });
  }

  private registerAll(zk: ZooKeeperServer, report: ServerReport, words: FourLetterWords): void {
    const conn = (c: ClientConnection, brief: boolean): Json => {
      const info: Json = {
        remote_socket_address: `${c.remoteAddress}:${c.remotePort}`,
        interest_ops: c.established && !c.isClosing ? 1 : 0,
        outstanding_requests: c.queuedFrames,
        packets_received: c.packetsReceived,
        packets_sent: c.packetsSent,
      };
      if (!brief) {
        Object.assign(info, {
          session_id: BigInt.asUintN(64, c.sessionId),
          last_operation: c.lastOperation,
          established: new Date(c.connectedAt).toISOString(),
          session_timeout: c.sessionTimeout,
          last_cxid: c.lastCxid,
          last_zxid: c.lastZxid,
          last_response_time: c.lastResponseAt,
          last_latency: c.lastLatency,
          min_latency: c.minLatency === Number.MAX_SAFE_INTEGER ? 0 : c.minLatency,
          avg_latency: Math.round(c.avgLatency),
          max_latency: c.maxLatency,
        });
      }
      return info;
    };
    const serverStats = (): Json => {
      const st = zk.stats;
      const client = { last_buffer_size: st.lastClientResponseSize, min_buffer_size: st.minResponseSize, max_buffer_size: st.maxClientResponseSize };
      return {
        version: FULL_VERSION,
        read_only: false,
        server_stats: {
          packets_sent: st.packetsSent,
          packets_received: st.packetsReceived,
          fsync_threshold_exceed_count: st.fsyncThresholdExceeded,
          client_response_stats: client,
          provider_null: false,
          data_dir_size: report.dataDirSize,
          log_dir_size: report.logDirSize,
          last_processed_zxid: zk.zxid,
          outstanding_requests: report.outstanding(),
          server_state: 'standalone',
          avg_latency: st.avgLatency,
          max_latency: st.maxLatency,
          min_latency: st.minLatencyOrZero,
          num_alive_client_connections: zk.connections.size,
          uptime: Date.now() - zk.startedAt,
          auth_failed_count: st.authFailedCount,
          non_mtlsremote_conn_count: 0,
          non_mtlslocal_conn_count: 0,
        },
        client_response: client,
        node_count: zk.tree.nodeCount,
      };
    };
    const hexKey = (id: bigint) => String(BigInt.asUintN(64, id));
    this.register(['configuration', 'conf', 'config'], () => {
      const c = zk.config;
      return {
        client_port: zk.address.port,
        data_dir: zk.persistence.snapDir,
        data_log_dir: zk.persistence.logDir,
        tick_time: c.tickTime,
        max_client_cnxns: c.maxClientCnxns,
        min_session_timeout: c.minSessionTimeout,
        max_session_timeout: c.maxSessionTimeout,
        server_id: 0,
        client_port_listen_backlog: -1,
      };
    });
    this.register(['connection_stat_reset', 'crst'], () => {
      words.run('crst', null);
      return {};
    });
    this.register(['connections', 'cons'], () => ({ connections: [...zk.connections].map((c) => conn(c, false)), secure_connections: [] }));
    this.register(['dirs'], () => ({ datadir_size: report.dataDirSize, logdir_size: report.logDirSize }));
    this.register(['dump'], () => {
      const offset = Date.now() - zk.clock.elapsed();
      const expiry: Json = {};
      for (const [t, ids] of zk.sessions.expiryBuckets()) expiry[String(t + offset)] = ids.map((id) => BigInt.asUintN(64, id));
      const eph: Json = {};
      for (const [id, paths] of zk.tree.ephemeralsBySession()) eph[hexKey(id)] = paths;
      return { expiry_time_to_session_ids: expiry, session_id_to_ephemeral_paths: eph };
    });
    this.register(['environment', 'env', 'envi'], () => Object.fromEntries(report.environment()));
    this.register(['get_trace_mask', 'gtmk'], () => ({ tracemask: Number(words.run('gtmk', null)) }));
    this.register(['is_read_only', 'isro'], () => ({ read_only: false }));
    this.register(['monitor', 'mntr'], () => Object.fromEntries(report.monitor()));
    this.register(['ruok'], () => ({}));
    this.register(['server_stats', 'srvr'], serverStats);
    this.register(['stats', 'stat'], () => ({ ...serverStats(), connections: [...zk.connections].map((c) => conn(c, true)), secure_connections: [] }));
    this.register(['stat_reset', 'srst'], () => {
      zk.stats.reset();
      return {};
    });
    this.register(['system_properties', 'sysp'], () => Object.fromEntries(zk.config.systemProperties));
    this.register(['watches', 'wchc'], () => {
      const out: Json = {};
      for (const [id, paths] of report.watchesByConnection()) out[hexKey(id)] = paths;
      return { session_id_to_watched_paths: out };
    });
    this.register(['watches_by_path', 'wchp'], () => {
      const out: Json = {};
      for (const [p, ids] of report.watchesByPath()) out[p] = ids.map((id) => BigInt.asUintN(64, id));
      return { path_to_session_ids: out };
    });
    this.register(['watch_summary', 'wchs'], () => {
      const w = zk.tree.dataWatches;
      return { num_connections: w.watcherCount, num_paths: w.pathCount, num_total_watches: w.size };
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const base = this.commandUrl;
    if (url.pathname === base || url.pathname === `${base}/`) {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(this.primaries.map((p) => `<a href="${base}/${p}">${p}</a>\n<br/>\n`).join(''));
      return;
    }
    if (!url.pathname.startsWith(`${base}/`)) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not Found');
      return;
    }
    const name = url.pathname.slice(base.length + 1);
    const command = this.commands.get(name);
    if (command === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(jacksonPretty({ command: null, error: `Unknown command: ${name}` }));
      return;
    }
    let body: Json;
    try {
      body = { ...command.run(), command: command.primary, error: null };
    } catch (err) {
      body = { command: command.primary, error: (err as Error).message };
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(jacksonPretty(body));
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.http.closeAllConnections();
      this.http.close(() => resolve());
    });
  }
}
