/**
 * Side-by-side throughput of kzbench's ZooKeeper client and node-zookeeper-client against the
 * same Apache ZooKeeper (Debian 3.8.0, started here on a free port and stopped at the end):
 *
 *   npx tsx test/integration/clients/zookeeper/compare-clients.ts [count] [concurrency...]
 *
 * Bounded (count ops per operation and client, default 20000; each run capped at 60 s).
 * Not a test: numbers depend on the machine. The official comparison lives in `kzbench bench`.
 */
import { startApacheZooKeeper } from './apache-zookeeper.js';
import {
  ZooKeeperClient,
  cleanupOperations,
  connectNodeZookeeperClient,
  prepareOperations,
  runOperations,
  zooKeeperClientTarget,
  type HotPathOperation,
  type OperationTarget,
} from '../../../../workloads/clients/zookeeper/index.js';

const count = Number(process.argv[2] ?? 20_000);
const concurrencies = process.argv.length > 3 ? process.argv.slice(3).map(Number) : [1, 100];
const operations: HotPathOperation[] = ['create', 'setData', 'getData'];

const zk = await startApacheZooKeeper();
const ours = await ZooKeeperClient.connect({ hosts: zk.connectString });
const theirs = await connectNodeZookeeperClient(zk.connectString);
const targets: OperationTarget[] = [zooKeeperClientTarget(ours), theirs];
const rows: Record<string, string | number>[] = [];
let run = 0;
try {
  for (const concurrency of concurrencies) {
    for (const operation of operations) {
      const rates: Record<string, number> = {};
      const cpu: Record<string, number> = {};
      // Alternate which client goes first, and warm both up, so neither gets a colder JVM or JIT.
      const order = run++ % 2 === 0 ? targets : [...targets].reverse();
      for (const target of order) {
        const n = concurrency === 1 ? Math.min(count, 5000) : count;
        const warm = `/kzbench-compare-warm-${run}-${target.name.replace(/\W/g, '')}`;
        await prepareOperations({ target, operation, root: warm, count: 2000 });
        await runOperations({ target, operation, root: warm, count: 2000, concurrency });
        await cleanupOperations(zooKeeperClientTarget(ours), warm);
        const root = `/kzbench-compare-${run}-${target.name.replace(/\W/g, '')}`;
        await prepareOperations({ target, operation, root, count: n });
        const result = await runOperations({ target, operation, root, count: n, concurrency, maxDurationMs: 60_000 });
        await cleanupOperations(zooKeeperClientTarget(ours), root);
        if (result.failed > 0) throw result.firstError ?? new Error(`${result.failed} failures`);
        rates[target.name] = result.opsPerSecond;
        cpu[target.name] = result.cpuMicrosPerOp;
        rows.push({
          operation,
          concurrency,
          client: target.name,
          ops: result.completed,
          'ops/s': Math.round(result.opsPerSecond),
          'client CPU µs/op': Number(result.cpuMicrosPerOp.toFixed(1)),
        });
      }
      rows.push({
        operation,
        concurrency,
        client: 'ratio kzbench / node-zookeeper-client',
        ops: '',
        'ops/s': Number((rates['kzbench']! / rates['node-zookeeper-client']!).toFixed(2)),
        'client CPU µs/op': Number((cpu['kzbench']! / cpu['node-zookeeper-client']!).toFixed(2)),
      });
    }
  }
  console.table(rows);
} finally {
  await ours.close();
  await theirs.close();
  await zk.stop();
}
