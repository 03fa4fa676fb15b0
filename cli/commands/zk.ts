import { UsageError } from '../../common/errors.js';
import { dumpSnapshot, dumpTxnLog } from '../../servers/zookeeper/storage/storage-dump.js';
import type { CommandContext } from '../command-context.js';

export function registerZk({ program, log }: CommandContext): void {
  const zk = program.command('zk').description('reference ZooKeeper data tools');
  const out = (line: string) => process.stdout.write(`${line}\n`);
  zk.command('txnlog')
    .description('dump a reference-server transaction log (dataLogDir/version-2/log.*)')
    .argument('<file>')
    .option('--json', 'one JSON object per txn')
    .action((file: string, opts: { json?: boolean }) => {
      const result = run(file, () => dumpTxnLog(file, opts.json === true, out));
      if (result.torn) log.warn(`stopped at byte ${result.validEnd}: ${result.problem ?? 'torn tail'}`);
      log.info(`${result.count} txns`);
    });
  zk.command('snapshot')
    .description('dump a reference-server snapshot (dataDir/version-2/snapshot.*)')
    .argument('<file>')
    .option('--json', 'one JSON object per znode, then a summary object')
    .action((file: string, opts: { json?: boolean }) => {
      run(file, () => dumpSnapshot(file, opts.json === true, out));
    });
}

function run<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') throw new UsageError('KZ_ZK_NO_FILE', `${file} does not exist`);
    throw new UsageError('KZ_ZK_BAD_FILE', `${file}: ${e.message}`);
  }
}
