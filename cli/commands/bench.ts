import type { CommandContext } from '../command-context.js';
import { notYetImplemented } from '../not-yet.js';

export function registerBench({ program }: CommandContext): void {
  program
    .command('bench')
    .description('hot-path comparison across implementations; writes reports/out/')
    .option('--suite <suite>', 'zookeeper | kafka | micro | admin | checkers | all')
    .option('--impl <impls>', 'comma-separated: reference,apache')
    .option('--quick', 'short run (under 2 minutes)')
    .option('--out <dir>', 'output directory', 'reports/out')
    .action(() => notYetImplemented('bench', 2));
}
