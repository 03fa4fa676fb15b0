import type { CommandContext } from '../command-context.js';
import { notYetImplemented } from '../not-yet.js';

export function registerCheck({ program }: CommandContext): void {
  program
    .command('check')
    .description('check a history file (exit 0 valid, 3 invalid, 5 unknown)')
    .argument('<history>', 'history file (JSONL, Jepsen EDN, 2014 Jepsen log lines)')
    .requiredOption('--model <model>', 'model or workload checker')
    .option('--format <format>', 'jsonl | edn | jepsen-log (default: detected)')
    .option('--init <value>', 'initial model state')
    .option('--json', 'machine-readable output')
    .action(() => notYetImplemented('check', 6));
}
