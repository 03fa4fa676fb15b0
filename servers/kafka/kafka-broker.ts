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
    await state.close();
    throw err;
  }
  state.advertisedVersions = advertisedVersions(brokerHandlers, config.asVersion);
  const handlers = new Map<number, ApiHandler>(brokerHandlers.map((h) => [h.api.key, h]));
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
    await state.close();
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
  return {
    host: config.advertised.host,
    port,
    bootstrap: `${config.advertised.host}:${port}`,
    config,
    state,
    close: () => {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          for (const c of connections) c.close();
        });
        await state.close();
        log.info('Kafka broker stopped cleanly');
      })();
      return closing;
    },
  };
}
