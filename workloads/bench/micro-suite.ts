import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bench } from 'tinybench';
import type { Logger } from '../../common/logger.js';
import { KafkaApis } from '../../protocols/kafka/api-catalog.js';
import { decodeResponseFrame, encodeRequestFrame, encodeResponseFrame } from '../../protocols/kafka/message-frames.js';
import { crc32c } from '../../protocols/kafka/records/crc32c.js';
import { buildRecordBatch, decodeRecordBatch } from '../../protocols/kafka/records/record-batch.js';
import { JuteReader, JuteWriter, OpCode, decodeReply, decodeRequest, writeReply, writeRequest, type Stat } from '../../protocols/zookeeper/index.js';
import { defaultLogConfig } from '../../servers/kafka/log/log-config.js';
import { PartitionLog } from '../../servers/kafka/log/partition-log.js';
import { DataTree } from '../../servers/zookeeper/tree/data-tree.js';
import { TxnType, type TxnHeader } from '../../servers/zookeeper/tree/txn.js';
import { OPEN_ACL_UNSAFE } from '../../protocols/zookeeper/index.js';
import { repoRoot } from '../launchers/repo-paths.js';

/** One micro-benchmark's figures (tinybench statistics, times in ns). */
export interface MicroFigure {
  group: string;
  task: string;
  /** Ops per second at the median sample. */
  opsPerSecond: number;
  meanNs: number;
  p50Ns: number;
  p99Ns: number;
  /** Relative margin of error of the mean, %. */
  rmePercent: number;
  samples: number;
  /** Set when the task could not run (e.g. a fixture is missing). */
  note?: string;
}

export interface MicroSuiteOptions {
  quick: boolean;
  log: Logger;
}

interface MicroTask {
  group: string;
  name: string;
  fn: () => unknown;
}

const stat: Stat = {
  czxid: 0x1000000a1n,
  mzxid: 0x1000000b2n,
  ctime: 1_700_000_000_000n,
  mtime: 1_700_000_000_123n,
  version: 7,
  cversion: 0,
  aversion: 0,
  ephemeralOwner: 0n,
  dataLength: 100,
  numChildren: 0,
  pzxid: 0x1000000a1n,
};

/**
 * In-process hot paths, measured with tinybench (warm-up, then time-boxed sampling; mean, p50,
 * p99 and margin of error per task): the ZooKeeper and Kafka wire codecs, record batch v2
 * encode / decode / CRC-32C, the reference ZooKeeper data tree, and the reference Kafka
 * partition log append (write(2) into a temporary directory, no fsync, as the broker appends).
 */
export async function runMicroSuite(opts: MicroSuiteOptions): Promise<MicroFigure[]> {
  const dir = await mkdtemp(join(tmpdir(), 'kzbench-micro-'));
  const log = new PartitionLog(join(dir, 'bench-0'), 'bench', 0, { ...defaultLogConfig });
  try {
    const missing: MicroFigure[] = [];
    const tasks = [...zookeeperCodecTasks(), ...(await kafkaCodecTasks(missing)), ...(await recordBatchTasks()), ...dataTreeTasks(), ...(await kafkaLogTasks(log))];
    const timeMs = opts.quick ? 150 : 600;
    const bench = new Bench({ time: timeMs, warmupTime: opts.quick ? 50 : 200, warmupIterations: 16 });
    for (const t of tasks) bench.add(`${t.group}: ${t.name}`, t.fn);
    opts.log.info(`micro: ${tasks.length} tasks, ${timeMs} ms each after a warm-up`);
    await bench.run();
    return [...tasks.map((t, i) => figureOf(t, bench.tasks[i]!.result)), ...missing];
  } finally {
    log.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function figureOf(t: MicroTask, result: (typeof Bench.prototype.tasks)[number]['result']): MicroFigure {
  if (result.state !== 'completed' && result.state !== 'aborted-with-statistics') {
    const why = result.state === 'errored' ? result.error.message : result.state;
    return { group: t.group, task: t.name, opsPerSecond: 0, meanNs: 0, p50Ns: 0, p99Ns: 0, rmePercent: 0, samples: 0, note: `did not complete: ${why}` };
  }
  const ms = result.latency;
  return {
    group: t.group,
    task: t.name,
    // The median: on a shared machine the mean of per-sample rates is dragged by outliers.
    opsPerSecond: Math.round(result.throughput.p50),
    meanNs: Math.round(ms.mean * 1e6),
    p50Ns: Math.round(ms.p50 * 1e6),
    p99Ns: Math.round(ms.p99 * 1e6),
    rmePercent: Math.round(ms.rme * 100) / 100,
    samples: ms.samplesCount,
  };
}

function zookeeperCodecTasks(): MicroTask[] {
  const group = 'zookeeper codec';
  const value = Buffer.alloc(100, 0x61);
  const writer = new JuteWriter();
  const reader = new JuteReader();
  const flushWriter = () => {
    if (writer.length > 1 << 20) writer.take();
  };
  const frameOf = (write: (w: JuteWriter) => void) => {
    const w = new JuteWriter();
    write(w);
    return w.take().subarray(4);
  };
  const setDataRequest = frameOf((w) => writeRequest(w, 42, OpCode.setData, { path: '/bench/key-00042', data: value, version: -1 }));
  const getDataReply = frameOf((w) => writeReply(w, { xid: 42, zxid: 0x1000000b2n, err: 0 }, OpCode.getData, { data: value, stat }));
  let sink = 0;
  return [
    { group, name: 'encode getData request', fn: () => (writeRequest(writer, 1, OpCode.getData, { path: '/bench/key-00042', watch: false }), flushWriter()) },
    { group, name: 'encode setData request (100 B)', fn: () => (writeRequest(writer, 1, OpCode.setData, { path: '/bench/key-00042', data: value, version: -1 }), flushWriter()) },
    { group, name: 'decode setData request (100 B)', fn: () => (sink += decodeRequest(setDataRequest, reader).xid) },
    { group, name: 'encode getData reply (100 B + Stat)', fn: () => (writeReply(writer, { xid: 1, zxid: 0x1000000b2n, err: 0 }, OpCode.getData, { data: value, stat }), flushWriter()) },
    { group, name: 'decode getData reply (100 B + Stat)', fn: () => (sink += decodeReply(OpCode.getData, getDataReply, reader).body!.stat.version) },
  ];
}

/** `missing` collects tasks that could not be set up: reported, not silently dropped. */
async function kafkaCodecTasks(missing: MicroFigure[]): Promise<MicroTask[]> {
  const group = 'kafka codec';
  const batch = await buildRecordBatch(Array.from({ length: 100 }, () => ({ value: Buffer.alloc(100, 0x61) })), { timestamp: 1_700_000_000_000 });
  const produceBody = { acks: -1, timeoutMs: 30_000, topicData: [{ name: 'bench-topic', partitionData: [{ index: 0, records: batch }] }] };
  const produceResponse = { responses: [{ name: 'bench-topic', partitionResponses: [{ index: 0, errorCode: 0, baseOffset: 123_456n }] }] };
  // The frame decoder takes a frame without its size prefix.
  const produceResponseFrame = encodeResponseFrame(KafkaApis.Produce, 9, 7, produceResponse).toBuffer().subarray(4);
  let correlationId = 0;
  const tasks: MicroTask[] = [
    {
      group,
      name: 'encode Produce v9 request (1 partition, 100 records × 100 B)',
      fn: () => encodeRequestFrame(KafkaApis.Produce, { apiKey: 0, apiVersion: 9, correlationId: correlationId++, clientId: 'bench' }, produceBody).toChunks(),
    },
    { group, name: 'decode Produce v9 response (1 partition)', fn: () => decodeResponseFrame(KafkaApis.Produce, 9, produceResponseFrame) },
  ];
  const fetchV17 = capturedResponse('apache-kafka-3.9.1-java-clients.jsonl', 1, 17, missing);
  if (fetchV17) tasks.push({ group, name: 'decode Fetch v17 response (captured from Apache Kafka 3.9.1)', fn: () => decodeResponseFrame(KafkaApis.Fetch, 17, fetchV17) });
  return tasks;
}

/** A response frame captured from a real broker (test/fixtures/kafka), or null with a note when the checkout has none. */
function capturedResponse(file: string, apiKey: number, apiVersion: number, missing: MicroFigure[]): Buffer | null {
  try {
    const line = readFileSync(join(repoRoot(), 'test', 'fixtures', 'kafka', file), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { apiKey: number; apiVersion: number; response: string })
      .find((e) => e.apiKey === apiKey && e.apiVersion === apiVersion);
    if (line) return Buffer.from(line.response, 'hex');
  } catch {
    // reported below
  }
  missing.push({ group: 'kafka codec', task: `decode captured response ${apiKey} v${apiVersion}`, opsPerSecond: 0, meanNs: 0, p50Ns: 0, p99Ns: 0, rmePercent: 0, samples: 0, note: `fixture test/fixtures/kafka/${file} not found in this checkout` });
  return null;
}

async function recordBatchTasks(): Promise<MicroTask[]> {
  const group = 'kafka record batch';
  const messages = Array.from({ length: 100 }, () => ({ value: Buffer.alloc(100, 0x61) }));
  const encoded = await buildRecordBatch(messages, { timestamp: 1_700_000_000_000 });
  const sixteenKiB = Buffer.alloc(16 * 1024, 7);
  let sink = 0;
  return [
    { group, name: 'encode batch v2 (100 records × 100 B, uncompressed)', fn: () => buildRecordBatch(messages, { timestamp: 1_700_000_000_000 }) },
    { group, name: 'decode batch v2 (100 records × 100 B, CRC checked)', fn: () => decodeRecordBatch(encoded) },
    { group, name: 'CRC-32C of 16 KiB', fn: () => (sink ^= crc32c(sixteenKiB)) },
  ];
}

function dataTreeTasks(): MicroTask[] {
  const group = 'reference zookeeper data tree';
  const tree = new DataTree({ extendedTypesEnabled: true, emulate353TtlNodes: false });
  const value = new Uint8Array(100).fill(0x61);
  let zxid = 1;
  const header = (type: number): TxnHeader => ({ sessionId: 1n, cxid: zxid, zxid: zxid++, time: 1_700_000_000_000, type });
  tree.processTxn(header(TxnType.create), { type: TxnType.create, path: '/bench', data: null, acl: OPEN_ACL_UNSAFE, ephemeralOwner: 0n, parentCVersion: 1 });
  const keys = 1000;
  for (let i = 0; i < keys; i++) {
    tree.processTxn(header(TxnType.create), { type: TxnType.create, path: `/bench/k-${i}`, data: value, acl: OPEN_ACL_UNSAFE, ephemeralOwner: 0n, parentCVersion: i + 2 });
  }
  let i = 0;
  let cversion = keys + 2;
  return [
    { group, name: 'getData (1000 znodes)', fn: () => tree.getData(`/bench/k-${i++ % keys}`, null) },
    {
      group,
      name: 'setData txn (100 B)',
      fn: () => tree.processTxn(header(TxnType.setData), { type: TxnType.setData, path: `/bench/k-${i++ % keys}`, data: value, version: zxid }),
    },
    {
      group,
      name: 'create + delete txn (100 B)',
      fn: () => {
        tree.processTxn(header(TxnType.create), { type: TxnType.create, path: '/bench/tmp', data: value, acl: OPEN_ACL_UNSAFE, ephemeralOwner: 0n, parentCVersion: cversion++ });
        tree.processTxn(header(TxnType.delete), { type: TxnType.delete, path: '/bench/tmp' });
      },
    },
  ];
}

async function kafkaLogTasks(log: PartitionLog): Promise<MicroTask[]> {
  const group = 'reference kafka log';
  // Appending stamps offsets into the batch in place, as the broker does, so one buffer serves every iteration.
  const batch = await buildRecordBatch(Array.from({ length: 10 }, () => ({ value: Buffer.alloc(100, 0x61) })), { timestamp: 1_700_000_000_000 });
  return [{ group, name: 'append batch (10 records × 100 B, write(2), no fsync)', fn: () => log.append(batch, [[0, batch.length]], 0, Date.now(), 'client') }];
}
