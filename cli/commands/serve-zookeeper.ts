import type { Command } from 'commander';
import { UsageError } from '../../common/errors.js';
import { collectSystemProperties, loadServerConfig } from '../../servers/zookeeper/index.js';
import { startServerWithOperations } from '../../servers/zookeeper/server-runtime.js';
import type { CommandContext } from '../command-context.js';
import { parsePortOption } from '../port-option.js';

interface ServeZookeeperOptions {
  config?: string;
  port?: string;
  dataDir?: string;
  host?: string;
}

export function registerServeZookeeper({ program, log }: CommandContext): void {
  program
    .command('zookeeper')
    .description('reference ZooKeeper server (reads zoo.cfg; -Dkey=value system properties, also from SERVER_JVMFLAGS)')
    .argument('[zoo.cfg]', 'zoo.cfg to read (same as --config, as zkServer.sh passes it)')
    .option('--config <file>', 'zoo.cfg to read')
    .option('--port <port>', 'client port (overrides clientPort; 0 picks a free one)')
    .option('--data-dir <dir>', 'data directory (overrides dataDir)')
    .option('--host <host>', 'address to bind (overrides clientPortAddress)')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action(async (positional: string | undefined, opts: ServeZookeeperOptions, command: Command) => {
      // Commander hands unknown options (-Dkey=value) over as operands; the first may land in `positional`.
      const positionalIsConfig = positional !== undefined && !positional.startsWith('-');
      const extra = positionalIsConfig ? command.args.filter((a) => a !== positional) : command.args;
      const unknown = extra.filter((a) => a.startsWith('-') && !a.startsWith('-D') && !a.startsWith('-X'));
      if (unknown.length > 0) throw new UsageError('KZ_USAGE', `unknown option ${unknown.join(' ')} (system properties are -Dkey=value)`);
      const configFile = opts.config ?? (positionalIsConfig ? positional : undefined);
      const config = loadServerConfig({
        configFile,
        port: parsePortOption(opts.port),
        dataDir: opts.dataDir,
        host: opts.host,
        systemProperties: collectSystemProperties(process.env, extra),
      });
      const running = await startServerWithOperations({ config, log: log.child('zookeeper') });
      // Data on stdout: where to connect. Logs go to stderr.
      process.stdout.write(`${running.connectString}\n`);
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          log.info(`${signal}: shutting down`);
          running.close().then(resolve, (err: unknown) => {
            log.error(`shutdown failed: ${(err as Error).message}`);
            process.exitCode = 1;
            resolve();
          });
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
        running.server.onStopped(() => {
          if (running.server.fatalError !== null) process.exitCode = 1;
          resolve();
        });
      });
    });
}
