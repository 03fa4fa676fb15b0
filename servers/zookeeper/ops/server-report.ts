import { readdirSync, statSync } from 'node:fs';
import { hostname, tmpdir, userInfo, arch, release, homedir } from 'node:os';
import path from 'node:path';
import type { ClientConnection } from '../network/client-connection.js';
import { MATCHED_ZOOKEEPER_VERSION, type ZooKeeperServer } from '../zookeeper-server.js';
import { javaDateString } from './java-date.js';

/** What `srvr`, `envi` and mntr's zk_version report: the Apache release whose behaviour we match. */
export const FULL_VERSION = `${MATCHED_ZOOKEEPER_VERSION}-kzbench-reference, built on 1970-01-01 00:00 UTC`;

const hexId = (id: bigint) => `0x${BigInt.asUintN(64, id).toString(16)}`;

function dirSize(dir: string): number {
  let total = 0;
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of entries) {
    try {
      const st = statSync(path.join(dir, name));
      total += st.isDirectory() ? dirSize(path.join(dir, name)) : st.size;
    } catch {
      // raced with purge
    }
  }
  return total;
}

/**
 * The facts the operations interfaces report, computed from the live server, and their text
 * renderings in Apache's exact layouts (the four-letter words). The AdminServer reuses the
 * same facts as JSON.
 */
export class ServerReport {
  constructor(private readonly server: ZooKeeperServer) {}

  get dataDirSize(): number {
    return dirSize(this.server.persistence.snapDir);
  }

  get logDirSize(): number {
    return dirSize(this.server.persistence.logDir);
  }

  conf(): Array<[string, string | number]> {
    const c = this.server.config;
    return [
      ['clientPort', this.server.address.port],
      ['secureClientPort', -1],
      ['dataDir', this.server.persistence.snapDir],
      ['dataDirSize', this.dataDirSize],
      ['dataLogDir', this.server.persistence.logDir],
      ['dataLogSize', this.logDirSize],
      ['tickTime', c.tickTime],
      ['maxClientCnxns', c.maxClientCnxns],
      ['minSessionTimeout', c.minSessionTimeout],
      ['maxSessionTimeout', c.maxSessionTimeout],
      ['clientPortListenBacklog', -1],
      ['serverId', 0],
    ];
  }

  environment(): Array<[string, string]> {
    const mem = process.memoryUsage();
    const mb = 1024 * 1024;
    let user = '<NA>';
    try {
      user = userInfo().username;
    } catch {
      // no passwd entry
    }
    return [
      ['zookeeper.version', FULL_VERSION],
      ['host.name', hostname()],
      ['java.version', `node ${process.versions.node}`],
      ['java.vendor', 'kzbench'],
      ['java.home', path.dirname(path.dirname(process.execPath))],
      ['java.class.path', process.argv[1] ?? '<NA>'],
      ['java.library.path', '<NA>'],
      ['java.io.tmpdir', tmpdir()],
      ['java.compiler', '<NA>'],
      ['os.name', process.platform === 'linux' ? 'Linux' : process.platform],
      ['os.arch', arch() === 'x64' ? 'amd64' : arch()],
      ['os.version', release()],
      ['user.name', user],
      ['user.home', homedir()],
      ['user.dir', process.cwd()],
      ['os.memory.free', `${Math.floor((mem.heapTotal - mem.heapUsed) / mb)}MB`],
      ['os.memory.max', `${Math.floor(mem.rss / mb)}MB`],
      ['os.memory.total', `${Math.floor(mem.heapTotal / mb)}MB`],
    ];
  }

  /** mntr's gauges and counters, in Apache's order for the shared ones. */
  monitor(): Array<[string, string | number]> {
    const s = this.server;
    const st = s.stats;
    const log = s.persistence.log;
    return [
      ['version', FULL_VERSION],
      ['server_state', 'standalone'],
      ['ephemerals_count', s.tree.ephemeralCount],
      ['num_alive_connections', s.connections.size],
      ['avg_latency', javaDouble(round4(st.avgLatency))],
      ['outstanding_requests', this.outstanding()],
      ['znode_count', s.tree.nodeCount],
      ['global_sessions', s.sessions.count],
      ['non_mtls_remote_conn_count', 0],
      ['last_client_response_size', st.lastClientResponseSize],
      ['packets_sent', st.packetsSent],
      ['packets_received', st.packetsReceived],
      ['max_client_response_size', st.maxClientResponseSize],
      ['connection_drop_probability', '0.0'],
      ['watch_count', s.tree.watchCount],
      ['auth_failed_count', st.authFailedCount],
      ['min_latency', st.minLatencyOrZero],
      ['max_file_descriptor_count', -1],
      ['approximate_data_size', s.tree.approximateDataSize],
      ['open_file_descriptor_count', openFileDescriptors()],
      ['local_sessions', 0],
      ['uptime', Date.now() - s.startedAt],
      ['max_latency', st.maxLatency],
      ['outstanding_tls_handshake', 0],
      ['min_client_response_size', st.minResponseSize],
      ['non_mtls_local_conn_count', 0],
      ['connection_rejected', st.connectionRejected],
      ['stale_sessions_expired', st.staleSessionsExpired],
      ['unsuccessful_handshake', st.unsuccessfulHandshakes],
      ['connection_request_count', st.connectionRequests],
      ['connection_revalidate_count', st.revalidations],
      ['bytes_received_count', st.bytesReceived],
      ['watch_bytes', st.watchBytes],
      ['snap_count', st.snapshotCount],
      ['sync_processor_batches', log.batches],
      ['avg_fsynctime', javaDouble(log.batches === 0 ? 0 : round4(log.fsyncTimeTotalMs / log.batches))],
      ['last_processed_zxid', s.zxid],
      ['durable_zxid', s.durableZxid],
    ];
  }

  outstanding(): number {
    let n = 0;
    for (const c of this.server.connections) n += c.queuedFrames;
    return n;
  }

  /** `srvr` (and the tail of `stat`). */
  serverStats(): string {
    const s = this.server;
    const st = s.stats;
    return (
      `Latency min/avg/max: ${st.minLatencyOrZero}/${javaDouble(st.avgLatency)}/${st.maxLatency}\n` +
      `Received: ${st.packetsReceived}\n` +
      `Sent: ${st.packetsSent}\n` +
      `Connections: ${s.connections.size}\n` +
      `Outstanding: ${this.outstanding()}\n` +
      `Zxid: 0x${s.zxid.toString(16)}\n` +
      'Mode: standalone\n' +
      `Node count: ${s.tree.nodeCount}\n`
    );
  }

  connectionInfo(c: ClientConnection, brief: boolean): string {
    let out = ` /${c.remoteAddress}:${c.remotePort}[${c.established && !c.isClosing ? 1 : 0}](queued=${c.queuedFrames},recved=${c.packetsReceived},sent=${c.packetsSent}`;
    if (!brief && c.sessionId !== 0n) {
      out += `,sid=${hexId(c.sessionId)},lop=${c.lastOperation},est=${c.connectedAt},to=${c.sessionTimeout}`;
      if (c.lastCxid >= 0) out += `,lcxid=0x${c.lastCxid.toString(16)}`;
      out += `,lzxid=0x${BigInt.asUintN(64, BigInt(c.lastZxid)).toString(16)},lresp=${c.lastResponseAt},llat=${c.lastLatency}`;
      out += `,minlat=${c.minLatency === Number.MAX_SAFE_INTEGER ? 0 : c.minLatency},avglat=${Math.round(c.avgLatency)},maxlat=${c.maxLatency}`;
    }
    return `${out})`;
  }

  dump(): string {
    const s = this.server;
    const buckets = s.sessions.expiryBuckets();
    const wallOffset = Date.now() - s.clock.elapsed();
    let out = 'SessionTracker dump:\n';
    out += `Session Sets (${buckets.length})/(${s.sessions.count}):\n`;
    for (const [time, ids] of buckets) {
      out += `${ids.length} expire at ${javaDateString(time + wallOffset)}:\n`;
      for (const id of ids) out += `\t${hexId(id)}\n`;
    }
    const eph = s.tree.ephemeralsBySession();
    out += 'ephemeral nodes dump:\n';
    out += `Sessions with Ephemerals (${eph.size}):\n`;
    for (const [id, paths] of eph) {
      out += `${hexId(id)}:\n`;
      for (const p of paths) out += `\t${p}\n`;
    }
    const conns = [...s.connections].filter((c) => c.established);
    out += 'Connections dump:\n';
    out += `Connections Sets (${conns.length === 0 ? 0 : 1})/(${conns.length}):\n`;
    if (conns.length > 0) {
      out += `${conns.length} expire at ${javaDateString(Date.now() + s.config.tickTime)}:\n`;
      for (const c of conns) out += `\tip: /${c.remoteAddress}:${c.remotePort} sessionId: ${hexId(c.sessionId)}\n`;
    }
    return out;
  }

  watchSummary(): string {
    const w = this.server.tree.dataWatches;
    return `${w.watcherCount} connections watching ${w.pathCount} paths\nTotal watches:${w.size}`;
  }

  /** Apache's wchc/wchp list the data-watch table only; we reproduce that. */
  watchesByConnection(): Array<[bigint, string[]]> {
    return [...this.server.tree.dataWatches.pathsByWatcher()].map(([w, paths]) => [w.sessionId, paths]);
  }

  watchesByPath(): Array<[string, bigint[]]> {
    return [...this.server.tree.dataWatches.watchersByPath()].map(([p, ws]) => [p, ws.map((w) => w.sessionId)]);
  }
}

/** Java's `Double.toString` for the values we print: always a decimal point. */
export function javaDouble(n: number): string {
  return Number.isInteger(n) ? `${n}.0` : String(n);
}

function round4(n: number): number {
  return Math.round(n * 10000) / 10000;
}

function openFileDescriptors(): number {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return -1;
  }
}
