import type { CommandContext } from '../command-context.js';
import { notYetImplemented } from '../not-yet.js';

export function registerApache({ program }: CommandContext): void {
  const apache = program.command('apache').description('provision real Apache ZooKeeper / Kafka');
  apache
    .command('fetch')
    .description('fetch Apache jars from Maven Central (Debian zookeeper as fallback) into the cache')
    .option('--zookeeper <version>', 'ZooKeeper version')
    .option('--kafka <version>', 'Kafka version')
    .action(() => notYetImplemented('apache fetch', 2));
}
