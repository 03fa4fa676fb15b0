import type { CommandContext } from '../command-context.js';
import { notYetImplemented } from '../not-yet.js';

export function registerRun({ program }: CommandContext): void {
  program
    .command('run')
    .description('run a workload, record history + HDR, check it, write results and report')
    .argument('[workload]', 'workload name (see --list)')
    .option('--list', 'list workloads')
    .option('--target <target>', 'target.json | reference | apache')
    .option('--nodes <n>', 'nodes for a started target')
    .option('--rate <r>', 'target rate (ops/s); open loop')
    .option('--duration <s>', 'duration in seconds')
    .option('--nemesis <faults>', 'kill,pause,partition,...')
    .option('--inject-bug <name>', 'reference targets: break one guarantee on purpose')
    .option('--out <dir>', 'output directory')
    .action(() => notYetImplemented('run', 7));
}
