import type { CommandContext } from '../command-context.js';
import { notYetImplemented } from '../not-yet.js';

export function registerZk({ program }: CommandContext): void {
  const zk = program.command('zk').description('reference ZooKeeper data tools');
  zk.command('txnlog').description('dump a transaction log').argument('<file>').action(() => notYetImplemented('zk txnlog', 3));
  zk.command('snapshot').description('dump a snapshot').argument('<file>').action(() => notYetImplemented('zk snapshot', 3));
}
