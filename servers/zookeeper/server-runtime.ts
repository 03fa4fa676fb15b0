import type { Logger } from '../../common/logger.js';
import type { ServerConfig } from './config/server-config.js';
import { ContainerManager } from './ops/container-manager.js';
import { FourLetterWords } from './ops/four-letter-words.js';
import { PurgeTask } from './ops/purge-task.js';
import { ServerReport } from './ops/server-report.js';
import type { Clock } from './session/clock.js';
import { ZooKeeperServer } from './zookeeper-server.js';
import { AdminServer } from './ops/admin-server.js';

export interface RunningZooKeeperServer {
  host: string;
  port: number;
  /** "host:port", for client connect strings. */
  connectString: string;
  /** The AdminServer's base URL, when it runs. */
  adminUrl: string | null;
  server: ZooKeeperServer;
  containers: ContainerManager;
  fourLetterWords: FourLetterWords;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  config: ServerConfig;
  log?: Logger;
  clock?: Clock;
}

/** The server plus its operations: four-letter words, AdminServer, container reaper, autopurge. */
export async function startServerWithOperations(opts: RuntimeOptions): Promise<RunningZooKeeperServer> {
  const { config } = opts;
  const server = await ZooKeeperServer.start({ config, log: opts.log, clock: opts.clock });
  const log = server.log;
  const report = new ServerReport(server);
  const words = new FourLetterWords(server, report);
  server.fourLetterWordHandler = (word, conn) => words.run(word, conn);
  const containers = new ContainerManager(
    server,
    {
      checkIntervalMs: config.containerCheckIntervalMs,
      maxPerMinute: config.containerMaxPerMinute,
      maxNeverUsedIntervalMs: config.containerMaxNeverUsedIntervalMs,
    },
    log.child('containers'),
  );
  containers.start();
  const purge = new PurgeTask(server.persistence, config.autopurge.snapRetainCount, config.autopurge.purgeIntervalHours * 3_600_000, log.child('purge'));
  purge.start();
  let admin: AdminServer | null = null;
  if (config.admin.enabled) {
    try {
      admin = await AdminServer.start(server, report, words, config.admin, log.child('admin'));
    } catch (err) {
      // Apache logs and carries on when the AdminServer cannot start (port in use).
      log.warn(`AdminServer not started: ${(err as Error).message}`);
    }
  }
  server.onStopped(() => {
    containers.stop();
    purge.stop();
    void admin?.close();
  });
  const { host, port } = server.address;
  return {
    host,
    port,
    connectString: `${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${port}`,
    adminUrl: admin?.url ?? null,
    server,
    containers,
    fourLetterWords: words,
    close: () => server.close(),
  };
}
