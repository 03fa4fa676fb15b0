import type { Logger } from '../../common/logger.js';
import { loadServerConfig, type ServerConfig } from './config/server-config.js';
import type { Clock } from './session/clock.js';
import { ZooKeeperServer } from './zookeeper-server.js';

export { ZooKeeperServer, MATCHED_ZOOKEEPER_VERSION } from './zookeeper-server.js';
export { loadServerConfig, ConfigError, type ServerConfig } from './config/server-config.js';
export { collectSystemProperties } from './config/system-properties.js';

export interface StartZooKeeperOptions {
  /** Where snapshots (and, unless dataLogDir is given, the txn log) live. */
  dataDir: string;
  dataLogDir?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  tickTime?: number;
  /** Java system properties, as `-Dkey=value` would set them (e.g. `zookeeper.extendedTypesEnabled`). */
  systemProperties?: Record<string, string>;
  /** Any further config field to override after parsing. */
  overrides?: Partial<ServerConfig>;
  log?: Logger;
  clock?: Clock;
}

export interface RunningZooKeeperServer {
  host: string;
  port: number;
  /** "host:port", for client connect strings. */
  connectString: string;
  server: ZooKeeperServer;
  close(): Promise<void>;
}

/**
 * Starts a reference ZooKeeper server in this process, for tests and benchmarks. The admin
 * server is off unless `overrides.admin` turns it on, so parallel servers never clash on 8080.
 */
export async function startZooKeeperServer(opts: StartZooKeeperOptions): Promise<RunningZooKeeperServer> {
  const base = loadServerConfig({
    dataDir: opts.dataDir,
    port: opts.port ?? 0,
    host: opts.host ?? '127.0.0.1',
    systemProperties: new Map(Object.entries(opts.systemProperties ?? {})),
  });
  const config: ServerConfig = {
    ...base,
    tickTime: opts.tickTime ?? base.tickTime,
    minSessionTimeout: opts.tickTime !== undefined ? opts.tickTime * 2 : base.minSessionTimeout,
    maxSessionTimeout: opts.tickTime !== undefined ? opts.tickTime * 20 : base.maxSessionTimeout,
    dataLogDir: opts.dataLogDir ?? base.dataLogDir,
    admin: { ...base.admin, enabled: false },
    ...opts.overrides,
  };
  const server = await ZooKeeperServer.start({ config, log: opts.log, clock: opts.clock });
  const { host, port } = server.address;
  return { host, port, connectString: `${host}:${port}`, server, close: () => server.close() };
}
