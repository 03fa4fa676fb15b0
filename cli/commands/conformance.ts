import type { CommandContext } from '../command-context.js';
import { notYetImplemented } from '../not-yet.js';

export function registerConformance({ program }: CommandContext): void {
  program
    .command('conformance')
    .description('scenario suite against a target, or differential against a second')
    .argument('<system>', 'zookeeper | kafka')
    .option('--target <target>', 'target.json | reference | apache[:VERSION]')
    .option('--diff <target>', 'second target to compare against')
    .action(() => notYetImplemented('conformance', 2));
}
