import type { CommandContext } from '../command-context.js';
import { notYetImplemented } from '../not-yet.js';

export function registerServe({ program }: CommandContext): void {
  const serve = program.command('serve').description('run a reference server in the foreground');
  serve
    .command('zookeeper')
    .description('reference ZooKeeper server (reads zoo.cfg; -Dkey=value system properties)')
    .option('--config <file>', 'zoo.cfg to read')
    .option('--port <port>', 'client port (overrides clientPort)')
    .option('--data-dir <dir>', 'data directory (overrides dataDir)')
    .allowUnknownOption(true)
    .action(() => notYetImplemented('serve zookeeper', 3));
  serve
    .command('kafka')
    .description('reference Kafka broker (reads server.properties)')
    .option('--config <file>', 'server.properties to read')
    .option('--port <port>', 'listener port')
    .option('--log-dir <dir>', 'log directory (overrides log.dirs)')
    .action(() => notYetImplemented('serve kafka', 4));
}
