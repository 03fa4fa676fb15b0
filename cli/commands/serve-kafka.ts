import type { CommandContext } from '../command-context.js';
import { notYetImplemented } from '../not-yet.js';

export function registerServeKafka({ program }: CommandContext): void {
  program
    .command('kafka')
    .description('reference Kafka broker (reads server.properties)')
    .option('--config <file>', 'server.properties to read')
    .option('--port <port>', 'listener port')
    .option('--log-dir <dir>', 'log directory (overrides log.dirs)')
    .action(() => notYetImplemented('serve kafka', 4));
}
