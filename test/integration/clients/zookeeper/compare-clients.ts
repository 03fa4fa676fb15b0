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
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
try {
  // Warm the server's JIT and both clients before anything is measured.
  for (const target of targets) {
    for (const operation of operations) {
      const root = `/kzbench-compare-warmup-${run++}`;
      await prepareOperations({ target, operation, root, count: 3000 });
      await runOperations({ target, operation, root, count: 3000, concurrency: 50 });
      await cleanupOperations(zooKeeperClientTarget(ours), root);
    }
  }
  for (const concurrency of concurrencies) {
    for (const operation of operations) {
      const rates: Record<string, number[]> = {};
      const cpu: Record<string, number[]> = {};
      // ABBA order, each client measured twice, means reported: the server warms up (JIT,
      // txn log preallocation) as a run goes, so whoever went first alone would be penalised.
      for (const target of [...targets, ...[...targets].reverse()]) {
        const n = concurrency === 1 ? Math.min(count, 3000) : count;
        const root = `/kzbench-compare-${run++}`;
        await prepareOperations({ target, operation, root, count: n });
        const result = await runOperations({ target, operation, root, count: n, concurrency, maxDurationMs: 60_000 });
        await cleanupOperations(zooKeeperClientTarget(ours), root);
        if (result.failed > 0) throw result.firstError ?? new Error(`${result.failed} failures`);
        (rates[target.name] ??= []).push(result.opsPerSecond);
        (cpu[target.name] ??= []).push(result.cpuMicrosPerOp);
      }
      for (const target of targets) {
        rows.push({
          operation,
          concurrency,
          client: target.name,
          'ops/s (mean of 2)': Math.round(mean(rates[target.name]!)),
          'client CPU µs/op': Number(mean(cpu[target.name]!).toFixed(1)),
        });
      }
      rows.push({
        operation,
        concurrency,
        client: 'ratio kzbench / node-zookeeper-client',
        'ops/s (mean of 2)': Number((mean(rates['kzbench']!) / mean(rates['node-zookeeper-client']!)).toFixed(2)),
        'client CPU µs/op': Number((mean(cpu['kzbench']!) / mean(cpu['node-zookeeper-client']!)).toFixed(2)),
      });
    }
  }
  console.table(rows);
} finally {
  await ours.close();
  await theirs.close();
  await zk.stop();
}
