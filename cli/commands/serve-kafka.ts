import { readServerProperties } from '../../servers/kafka/config/broker-config.js';
import { startKafkaBroker } from '../../servers/kafka/kafka-broker.js';
import type { CommandContext } from '../command-context.js';
import { parsePortOption } from '../port-option.js';

interface ServeKafkaOptions {
  config?: string;
  port?: string;
  logDir?: string;
  host?: string;
  asVersion?: string;
}

export function registerServeKafka({ program, log }: CommandContext): void {
  program
    .command('kafka')
    .description('reference Kafka broker (reads server.properties)')
    .option('--config <file>', 'server.properties to read')
    .option('--port <port>', 'listener port (overrides listeners; 0 picks a free one)')
    .option('--log-dir <dir>', 'log directory (overrides log.dirs)')
    .option('--host <host>', 'address to bind (default: the listener host, or 127.0.0.1)')
    .option('--as-version <release>', 'advertise only the API versions of this Apache Kafka release (e.g. 2.8, 3.9, 4.0)')
    .action(async (opts: ServeKafkaOptions) => {
      const properties = opts.config ? readServerProperties(opts.config) : {};
      const broker = await startKafkaBroker({
        properties,
        port: parsePortOption(opts.port),
        logDir: opts.logDir,
        host: opts.host,
        asVersion: opts.asVersion,
        logger: log.child('kafka'),
      });
      // Data on stdout: where to connect. Logs go to stderr.
      process.stdout.write(`${broker.bootstrap}\n`);
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          log.info(`${signal}: shutting down`);
          broker.close().then(resolve, (err) => {
            log.error(`shutdown failed: ${(err as Error).message}`);
            process.exitCode = 1;
            resolve();
          });
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
        // A disk failure halts the broker by itself (exit 1, as Apache's Exit.halt(1)).
        void broker.stopped.then(() => {
          if (broker.state.storageFailure) {
            process.exitCode = 1;
            resolve();
          }
        });
      });
    });
}
