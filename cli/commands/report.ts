import type { CommandContext } from '../command-context.js';
import { notYetImplemented } from '../not-yet.js';

export function registerReport({ program }: CommandContext): void {
  program
    .command('report')
    .description('render (and compare) results into HTML')
    .argument('<dirs...>', 'results directories')
    .option('--out <file>', 'output HTML file')
    .action(() => notYetImplemented('report', 2));
}
