import { type Server, type Socket, createServer } from 'node:net';
import type { Logger } from '../../common/logger.js';
import { silentLogger } from '../../common/logger.js';
import { advertisedVersions } from './advertised-versions.js';
import { BrokerState } from './broker-state.js';
import { type BrokerConfig, type BrokerConfigOverrides, resolveBrokerConfig } from './config/broker-config.js';
import { BrokerConnection } from './connection.js';
import type { ApiHandler } from './handlers/api-handler.js';
import { brokerHandlers } from './handlers/index.js';
import { kafkaFaults } from './fault-injection.js';

export interface KafkaBrokerOptions extends BrokerConfigOverrides {
  /** server.properties keys (as strings); `port`/`logDir`/`host` override them. */
  properties?: Record<string, string>;
  logger?: Logger;
}

export interface RunningKafkaBroker {
  host: string;
  port: number;
  /** `host:port`, for bootstrap.servers. */
  bootstrap: string;
  config: BrokerConfig;
  state: BrokerState;
  /** Clean shutdown: stop accepting, close connections, flush and checkpoint the logs. */
  close(): Promise<void>;
  /** Settles once the broker has stopped: after close(), or by itself after a disk failure (state.storageFailure). */
  stopped: Promise<void>;
}

/**
 * Starts the reference broker in-process. With `port: 0` the kernel picks a port and the
 * advertised listener follows it. Used by `kzbench serve kafka`, tests and the bench.
 */
export async function startKafkaBroker(opts: KafkaBrokerOptions = {}): Promise<RunningKafkaBroker> {
  const log = opts.logger ?? silentLogger;
  const config = resolveBrokerConfig(opts.properties ?? {}, opts);
  const state = new BrokerState(config, log);
  if (state.logs.recoveredFromCrash) log.warn('previous run did not shut down cleanly: recovered logs past their recovery points');
  try {
    await state.loadCoordinators();
  } catch (err) {
    await closeAfterFailedStart(state, log);
    throw err;
  }
  state.advertisedVersions = advertisedVersions(brokerHandlers, config.asVersion);
  // Requests are served at the versions advertised (with --as-version, narrowed to a release's
  // ranges); any other version closes the connection, as Apache does.
  const handlers = new Map<number, ApiHandler>();
  for (const v of state.advertisedVersions) {
    const h = brokerHandlers.find((x) => x.api.key === v.apiKey)!;
    handlers.set(v.apiKey, { ...h, minVersion: v.minVersion, maxVersion: v.maxVersion });
  }
  const connections = new Set<BrokerConnection>();
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    const c = new BrokerConnection(socket, state, handlers);
    connections.add(c);
    socket.on('close', () => {
      connections.delete(c);
      sockets.delete(socket);
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: config.listener.host, port: config.listener.port }, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await closeAfterFailedStart(state, log);
    throw err;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.listener.port;
  if (config.listener.port === 0 || config.advertised.port === 0) {
    config.advertised.port = port;
    config.listener.port = port;
  }
  state.logs.startScheduler();
  log.info(`Kafka broker ${config.nodeId} listening on ${config.listener.host}:${port}, log dirs ${config.logDirs.join(',')}`);
  if (kafkaFaults.banner) log.warn(kafkaFaults.banner);
  let closing: Promise<void> | undefined;
  let markStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (markStopped = resolve));
  const stopServing = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const c of connections) c.close();
    });
  // A disk failure halts the broker: no new requests, nothing flushed or marked clean.
  state.onStorageFailure(() => {
    state.halt();
    // The request that hit the failure is answered (KAFKA_STORAGE_ERROR) in this turn of the
    // event loop; the connections close in the next.
    closing ??= new Promise<void>((resolve) => setImmediate(resolve))
      .then(stopServing)
      .then(() => log.error('Kafka broker halted after a log dir failure'))
      .finally(markStopped);
  });
  return {
    host: config.advertised.host,
    port,
    bootstrap: `${config.advertised.host}:${port}`,
    config,
    state,
    stopped,
    close: () => {
      closing ??= (async () => {
        await stopServing();
        await state.close();
        log.info('Kafka broker stopped cleanly');
      })().finally(markStopped);
      return closing;
    },
  };
}

/** A start that failed (a port in use, a full disk): release what was opened without hiding the first error. */
async function closeAfterFailedStart(state: BrokerState, log: Logger): Promise<void> {
  try {
    await state.close();
  } catch (err) {
    log.warn(`closing the logs after the failed start also failed: ${(err as Error).message}`);
  }
}
