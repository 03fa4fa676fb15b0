import { kafkaHotpath } from '../kafka/kafka-hotpath.js';
import type { HotPathSuiteInput } from './bench-options.js';
import type { BenchTarget } from './bench-targets.js';
import { serversForClientComparison } from './comparison-servers.js';
import { latencyRate } from './latency-rate.js';
import { measureCells, medianThroughput, runId, warmUp, type LoadCell, type MeasuredCell } from './load-cells.js';
import { suiteResults, type SuiteOutput } from './suite-results.js';

/** The open-loop `rate` is in records/s. */
export type KafkaSuiteInput = HotPathSuiteInput;

/** One produce configuration of the matrix. */
interface ProduceCase {
  recordSize: number;
  acks: '1' | 'all';
  batched: boolean;
  fetch?: boolean;
}

const sizeLabel = (bytes: number) => (bytes % 1024 === 0 ? `${bytes / 1024}KiB` : `${bytes}B`);

/** `produce-100B-acksall-batched`, `e2e-1KiB-acks1-unbatched`: op names without dots, so thresholds can address them. */
export function produceOpName(c: ProduceCase): string {
  return `${c.fetch ? 'e2e' : 'produce'}-${sizeLabel(c.recordSize)}-acks${c.acks}-${c.batched ? 'batched' : 'unbatched'}`;
}

function produceParams(c: ProduceCase, client = 'kzbench'): Record<string, string> {
  return { 'record-size': String(c.recordSize), acks: c.acks, batching: c.batched ? 'on' : 'off', 'linger-ms': '5', 'batch-size': '65536', 'max-in-flight': '5', fetch: String(c.fetch ?? false), client };
}

/**
 * Closed-loop workers (records outstanding): enough to fill 64 KiB batches. Unbatched runs use
 * the same bound (records queue in the producer, one per request), so one document has one.
 */
const closedInFlight = 1024;
const latencyInFlight = 4096;

const brokerSettings = {
  fsync: 'broker default on both: no fsync per produce (page cache), log.flush.* unset',
  topic: '1 partition, replication factor 1, single node',
};

/**
 * The Kafka suite: produce throughput and latency against every available broker (Apache
 * Kafka single-node KRaft, the reference broker), side by side, with kzbench's FastProducer:
 *  1. `kafka-throughput`: closed loop, 1024 records outstanding; 100 B and 1 KiB records ×
 *     acks=1 / all × batched (linger 5 ms, batch 64 KiB, 5 requests in flight) / unbatched
 *     (one record per request);
 *  2. `kafka-latency`: open loop at one rate (records/s) for every op and broker, latency from
 *     the intended start; includes end-to-end latency (produce → fetched by a follower);
 *  3. `kafka-clients`: FastProducer vs kafkajs with the same batching (512 records per send,
 *     5 in flight) and, not with `--quick`, `kafka-clients-per-record` (one record per send,
 *     256 in flight), with client CPU per op; on Apache (`--quick`), else also on the
 *     reference broker when it is the faster one.
 * `--quick` measures a subset (100 B records; produce and e2e latency). Each broker first
 * gets an unmeasured warm-up.
 * Records/s and MB/s per run are in `config.extra`.
 */
export async function runKafkaSuite(input: KafkaSuiteInput): Promise<SuiteOutput[]> {
  const { targets, timing, log } = input;
  if (targets.available.length === 0) return [];
  const throughputCases: ProduceCase[] = input.quick
    ? [
        { recordSize: 100, acks: 'all', batched: true },
        { recordSize: 100, acks: '1', batched: true },
        { recordSize: 100, acks: 'all', batched: false },
      ]
    : [100, 1024].flatMap((recordSize) =>
        (['1', 'all'] as const).flatMap((acks) => [true, false].map((batched) => ({ recordSize, acks, batched }))),
      );
  const latencyCases: ProduceCase[] = input.quick
    ? [
        { recordSize: 100, acks: 'all', batched: true },
        { recordSize: 100, acks: 'all', batched: true, fetch: true },
      ]
    : [
        { recordSize: 100, acks: 'all', batched: true },
        { recordSize: 100, acks: '1', batched: true },
        { recordSize: 1024, acks: 'all', batched: true },
        { recordSize: 100, acks: 'all', batched: true, fetch: true },
      ];
  const cell = (t: BenchTarget, c: ProduceCase, rate: number | null): LoadCell => ({
    implementation: t.impl,
    op: produceOpName(c),
    workload: kafkaHotpath,
    params: produceParams(c),
    clients: 1,
    target: t.run,
    rate,
    inFlight: rate !== null ? latencyInFlight : closedInFlight,
  });
  const common = { suite: 'kafka', workload: 'kafka-hotpath', timing, targets: [targets], loadAverage: input.loadAverage, settings: brokerSettings };

  await warmUp(
    targets.available.map((t) => cell(t, { recordSize: 100, acks: '1', batched: true }, null)),
    timing.serverWarmupSeconds,
    log,
    input.signal,
  );
  log.info(`kafka: max produce throughput, closed loop (${targets.available.map((t) => t.impl).join(' vs ')})`);
  const throughputCells = await measureCells(throughputCases.flatMap((c) => targets.available.map((t) => cell(t, c, null))), timing, log, input.signal);
  const outputs: SuiteOutput[] = [
    {
      suite: 'kafka',
      name: 'kafka-throughput',
      results: suiteResults({
        ...common,
        name: 'kafka-throughput',
        title: 'Kafka produce: max throughput (closed loop)',
        cells: throughputCells,
        rate: null,
        baseline: { implementation: 'apache' },
        extra: volumeFigures(throughputCells),
      }),
    },
  ];

  const batchedCapacity = throughputCells.filter((m) => m.cell.op.endsWith('-batched'));
  const { rate, note } = latencyRate(input.rate, batchedCapacity, 'records/s');
  log.info(`kafka: latency at ${rate} records/s, open loop`);
  const latencyCells = await measureCells(latencyCases.flatMap((c) => targets.available.map((t) => cell(t, c, rate))), timing, log, input.signal);
  outputs.push({
    suite: 'kafka',
    name: 'kafka-latency',
    results: suiteResults({
      ...common,
      name: 'kafka-latency',
      title: `Kafka produce and end-to-end latency at ${rate} records/s (open loop)`,
      cells: latencyCells,
      rate,
      baseline: { implementation: 'apache' },
      notes: [
        ...(note ? [note] : []),
        'Batched produce latency includes the producer linger (linger.ms=5, the Kafka 4 default): a record waits up to 5 ms for others to share its batch. e2e = produce acknowledged and fetched back by a long-polling follower.',
      ],
      extra: volumeFigures(latencyCells),
    }),
  });

  // Quick: Apache only (what users deploy). Full: also the reference broker when it is faster.
  const servers = input.quick ? [targets.get('apache') ?? targets.available[0]!] : serversForClientComparison(targets, throughputCells, produceOpName({ recordSize: 100, acks: 'all', batched: true }));
  log.info(`kafka: kzbench FastProducer vs kafkajs on ${servers.map((t) => t.impl).join(' and ')}`);
  // Each case is its own document: its in-flight bound differs, and a document has one.
  const clientCases = [
    {
      name: 'kafka-clients',
      recordsPerOp: 512,
      inFlight: 5,
      title: 'Kafka producers: kzbench FastProducer vs kafkajs, same batching (closed loop)',
      note: 'An op sends 512 records of 100 B and waits for their acknowledgement: both clients get the same batching (one 512-record send for kafkajs; FastProducer batches them by size), 5 ops in flight. ok/s counts ops; records/s and MB/s are in the configuration (extra).',
    },
    ...(input.quick
      ? []
      : [
          {
            name: 'kafka-clients-per-record',
            recordsPerOp: 1,
            inFlight: 256,
            title: 'Kafka producers: kzbench FastProducer vs kafkajs, one record per call (closed loop)',
            note: 'An op sends one 100 B record and waits for its acknowledgement, 256 ops in flight: FastProducer lingers (5 ms) and batches records of concurrent calls; kafkajs sends one Produce request per send() call, as applications calling it per record get.',
          },
        ]),
  ];
  const cellsFor = (cc: (typeof clientCases)[number]): LoadCell[] =>
    servers.flatMap((t) =>
      ['kafkajs', 'kzbench'].map((client) => ({
        implementation: t.impl,
        op: `produce-${cc.recordsPerOp}x100B-acksall`,
        workload: kafkaHotpath,
        params: { ...produceParams({ recordSize: 100, acks: 'all', batched: true }, client), 'records-per-op': String(cc.recordsPerOp) },
        clients: 1,
        target: t.run,
        rate: null,
        inFlight: cc.inFlight,
      })),
    );
  // kafkajs warms up too (JIT, first metadata; ours is warm from the runs above): its first
  // measured cell must not pay for it.
  await warmUp(
    cellsFor(clientCases[0]!).filter((c) => c.params.client !== 'kzbench'),
    timing.serverWarmupSeconds,
    log,
    input.signal,
  );
  for (const cc of clientCases) {
    const measuredClients = await measureCells(cellsFor(cc), timing, log, input.signal);
    outputs.push({
      suite: 'kafka',
      name: cc.name,
      results: suiteResults({
        ...common,
        name: cc.name,
        title: cc.title,
        cells: measuredClients,
        rate: null,
        baseline: { implementation: 'apache', client: 'kafkajs' },
        notes: [cc.note, "Client CPU (clientCpuMicrosPerOp) is the load-generating process's user+system CPU per op, warm-up included; the runner's share is the same for both clients."],
        extra: volumeFigures(measuredClients),
      }),
    });
  }
  return outputs;
}

/** Records/s and MB/s per run: ok ops/s × records per op × record size. */
function volumeFigures(cells: readonly MeasuredCell[]): Record<string, unknown> {
  const recordsPerSecond: Record<string, number> = {};
  const megabytesPerSecond: Record<string, number> = {};
  for (const m of cells) {
    const ops = medianThroughput(m);
    if (ops === null) continue;
    const records = ops * Number(m.cell.params['records-per-op'] ?? '1');
    recordsPerSecond[runId(m)] = Math.round(records);
    megabytesPerSecond[runId(m)] = Math.round(((records * Number(m.cell.params['record-size'])) / 2 ** 20) * 100) / 100;
  }
  return { recordsPerSecond, megabytesPerSecond };
}
