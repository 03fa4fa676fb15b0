import type { CommandContext } from '../command-context.js';
import { notYetImplemented } from '../not-yet.js';

export function registerServeZookeeper({ program }: CommandContext): void {
  program
    .command('zookeeper')
    .description('reference ZooKeeper server (reads zoo.cfg; -Dkey=value system properties)')
    .option('--config <file>', 'zoo.cfg to read')
    .option('--port <port>', 'client port (overrides clientPort)')
    .option('--data-dir <dir>', 'data directory (overrides dataDir)')
    .allowUnknownOption(true)
    .action(() => notYetImplemented('serve zookeeper', 3));
}
