import { zkHotpath, zkHotpathOps, type ZkHotpathOp } from '../zookeeper/zk-hotpath.js';
import type { HotPathSuiteInput } from './bench-options.js';
import type { BenchTarget } from './bench-targets.js';
import { serversForClientComparison } from './comparison-servers.js';
import { latencyRate } from './latency-rate.js';
import { measureCells, warmUp, type LoadCell } from './load-cells.js';
import { suiteResults, type SuiteOutput } from './suite-results.js';

/** The open-loop `rate` is in ops/s. */
export type ZookeeperSuiteInput = HotPathSuiteInput;

/** Sessions and requests in flight for the server comparison: enough to keep either server busy. */
const serverSessions = 4;
const serverInFlight = 128;
/** Client comparison: requests outstanding over all sessions, whatever their number (one bound per document). */
const clientInFlight = 256;
/** Open loop: the in-flight bound past which arrivals are dropped (and counted). */
const latencyInFlight = 512;
const valueSize = '100';

const serverSettings = {
  fsync: 'forceSync=yes (Apache default) on both servers, data on the same disk',
  valueBytes: Number(valueSize),
};

/**
 * The ZooKeeper suite: znode create / setData / getData with 100-byte values against every
 * available server, side by side, driven by kzbench's client:
 *  1. `zookeeper-throughput`: closed loop, 4 sessions, 128 requests in flight: the most each server
 *     sustains (a max-throughput search; its latency is service time only);
 *  2. `zookeeper-latency`: open loop at one rate for every op and server (the configured rate,
 *     or half the lowest capacity measured in step 1 when that is lower), latency from the
 *     intended start;
 *  3. `zookeeper-clients`: kzbench's client vs node-zookeeper-client, getData closed loop
 *     with 256 requests outstanding, with client CPU per op: on Apache with 4 sessions
 *     (`--quick`), else with 1 and with 8
 *     sessions, on Apache and, when it is the faster one, the reference server too (so the
 *     clients' own limits show rather than the server's).
 * Each server first gets an unmeasured warm-up of mixed ops.
 */
export async function runZookeeperSuite(input: ZookeeperSuiteInput): Promise<SuiteOutput[]> {
  const { targets, timing, log } = input;
  if (targets.available.length === 0) return [];
  const ops: readonly ZkHotpathOp[] = zkHotpathOps;
  const serverCell = (t: BenchTarget, op: ZkHotpathOp, rate: number | null): LoadCell => ({
    implementation: t.impl,
    op,
    workload: zkHotpath,
    params: { ops: op, 'value-size': valueSize, client: 'kzbench' },
    clients: serverSessions,
    target: t.run,
    rate,
    inFlight: rate === null ? serverInFlight : latencyInFlight,
  });
  const common = { suite: 'zookeeper', workload: 'zk-hotpath', timing, targets: [targets], loadAverage: input.loadAverage, settings: serverSettings };

  await warmUp(
    targets.available.map((t) => ({ ...serverCell(t, 'create', null), op: 'create,setData,getData', params: { ops: 'create,setData,getData', 'value-size': valueSize, client: 'kzbench' } })),
    timing.serverWarmupSeconds,
    log,
    input.signal,
  );
  log.info(`zookeeper: max throughput, closed loop (${targets.available.map((t) => t.impl).join(' vs ')})`);
  const throughputCells = await measureCells(
    ops.flatMap((op) => targets.available.map((t) => serverCell(t, op, null))),
    timing,
    log,
    input.signal,
  );
  const outputs: SuiteOutput[] = [
    {
      suite: 'zookeeper',
      name: 'zookeeper-throughput',
      results: suiteResults({
        ...common,
        name: 'zookeeper-throughput',
        title: 'ZooKeeper hot paths: max throughput (closed loop)',
        cells: throughputCells,
        rate: null,
        baseline: { implementation: 'apache' },
      }),
    },
  ];

  const { rate, note } = latencyRate(input.rate, throughputCells, 'ops/s');
  log.info(`zookeeper: latency at ${rate} ops/s, open loop`);
  const latencyCells = await measureCells(
    ops.flatMap((op) => targets.available.map((t) => serverCell(t, op, rate))),
    timing,
    log,
    input.signal,
  );
  outputs.push({
    suite: 'zookeeper',
    name: 'zookeeper-latency',
    results: suiteResults({
      ...common,
      name: 'zookeeper-latency',
      title: `ZooKeeper hot paths: latency at ${rate} ops/s (open loop)`,
      cells: latencyCells,
      rate,
      baseline: { implementation: 'apache' },
      notes: note ? [note] : [],
    }),
  });

  // Quick: Apache only (what users deploy). Full: also the reference server when it is faster.
  const clientServers = input.quick ? [targets.get('apache') ?? targets.available[0]!] : serversForClientComparison(targets, throughputCells, 'getData');
  const clientOps: ZkHotpathOp[] = ['getData'];
  const sessionCounts = input.quick ? [4] : [1, 8];
  log.info(`zookeeper: kzbench vs node-zookeeper-client on ${clientServers.map((t) => t.impl).join(' and ')}`);
  const clientCells: LoadCell[] = [];
  for (const t of clientServers) {
    for (const op of clientOps) {
      for (const sessions of sessionCounts) {
        for (const client of ['node-zookeeper-client', 'kzbench']) {
          clientCells.push({
            implementation: t.impl,
            op: `${op}-${sessions}-session${sessions === 1 ? '' : 's'}`,
            workload: zkHotpath,
            params: { ops: op, 'value-size': valueSize, client },
            clients: sessions,
            target: t.run,
            rate: null,
            inFlight: clientInFlight,
          });
        }
      }
    }
  }
  // The other library's code warms up too (JIT, first metadata; ours is warm from the runs
  // above): its first cell must not pay for it.
  const firstOfEachClient = clientCells.filter((c, i) => c.params.client !== 'kzbench' && clientCells.findIndex((d) => d.target === c.target && d.params.client === c.params.client) === i);
  await warmUp(firstOfEachClient, timing.serverWarmupSeconds, log, input.signal);
  const measuredClients = await measureCells(clientCells, timing, log, input.signal);
  outputs.push({
    suite: 'zookeeper',
    name: 'zookeeper-clients',
    results: suiteResults({
      ...common,
      name: 'zookeeper-clients',
      title: 'ZooKeeper clients: kzbench vs node-zookeeper-client (closed loop)',
      cells: measuredClients,
      rate: null,
      baseline: { implementation: 'apache', client: 'node-zookeeper-client' },
      notes: [
        'Client CPU (config → clientCpuMicrosPerOp) is the load-generating process\'s user+system CPU per op, warm-up included; the runner\'s own cost is in it and is the same for both clients, so the difference between the clients is theirs.',
      ],
    }),
  });
  return outputs;
}
