import type { Logger } from '../../common/logger.js';
import { loadServerConfig, type ServerConfig } from './config/server-config.js';
import type { Clock } from './session/clock.js';
import { startServerWithOperations, type RunningZooKeeperServer } from './server-runtime.js';

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

export type { RunningZooKeeperServer } from './server-runtime.js';
export { startServerWithOperations } from './server-runtime.js';

/**
 * Starts a reference ZooKeeper server in this process (with its operations: four-letter words,
 * container reaper, autopurge), for tests and benchmarks. The AdminServer is off unless
 * `overrides.admin` turns it on, so parallel servers never clash on port 8080.
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
  return startServerWithOperations({ config, log: opts.log, clock: opts.clock });
}
