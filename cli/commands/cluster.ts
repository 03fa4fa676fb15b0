import type { CommandContext } from '../command-context.js';
import { notYetImplemented } from '../not-yet.js';

export function registerCluster({ program }: CommandContext): void {
  const cluster = program.command('cluster').description('start and stop clusters on loopback');
  cluster
    .command('up')
    .description('start a cluster and write DIR/target.json')
    .argument('<system>', 'zookeeper | kafka')
    .option('--impl <impl>', 'reference | apache[:VERSION]', 'apache')
    .option('--nodes <n>', 'number of nodes', '1')
    .option('--dir <dir>', 'cluster directory (default .kzbench/clusters/<system>)')
    .option('--launcher <launcher>', 'local | compose', 'local')
    .action(() => notYetImplemented('cluster up', 2));
  cluster
    .command('down')
    .description('stop exactly the processes a cluster up started')
    .option('--dir <dir>', 'cluster directory')
    .option('--keep', 'keep data directories')
    .action(() => notYetImplemented('cluster down', 2));
}
