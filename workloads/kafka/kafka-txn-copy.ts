import { randomBytes } from 'node:crypto';
import type { CheckResult } from '../../checkers/checker.js';
import { checkExactlyOnce } from '../../checkers/kafka/exactly-once-checker.js';
import type { Op } from '../../checkers/history/op.js';
import { connectString } from '../launchers/target.js';
import { jepsenNemesisParams, nemesisSettingsFrom } from '../nemesis/nemesis-params.js';
import type { ConfiguredWorkload, RunningWorkload, WorkloadDefinition, WorkloadOptions, WorkloadStartContext } from '../registry.js';
import type { OpCompletion } from '../runner/index.js';
import { HistoryRecorder } from '../runner/history-recorder.js';
import { WorkloadParams } from '../workload-params.js';
import { EosHistory } from './eos-history.js';
import { produceInput } from './input-producer.js';
import { disconnectQuietly, kafkajsClient } from './kafkajs-factory.js';
import { readOutput } from './output-verifier.js';
import { TxnCopier } from './txn-copier.js';

const params = [
  { name: 'records', description: 'input records (unique values), written before the copy starts', default: '100000' },
  { name: 'txn-records', description: 'records copied per transaction at most', default: '500' },
  { name: 'producer-batch', description: 'input records per send of the input producer', default: '500' },
  { name: 'txn-timeout', description: 'transaction timeout of the copiers, ms', default: '60000' },
  { name: 'final-timeout', description: 'seconds the final read_committed read of the output may take', default: '120' },
  ...jepsenNemesisParams,
] as const;

/** Ids of the ops recorded outside the runner's workers (input producer, final reader). */
const OWN_PROCESSES_START = 1_000_000;

interface TxnCopySettings {
  records: number;
  txnRecords: number;
  producerBatch: number;
  txnTimeoutMs: number;
  finalTimeoutMs: number;
  partitions: number;
}

/**
 * `kafka-txn-copy`: Kafka's exactly-once system test. The input topic is written first
 * (idempotent producer, `send` ops); then each runner worker is the transactional copier of
 * one partition (`--in-flight` = partitions), one `txn` op per transaction (poll input, send
 * it to the output, commit the input offset, commit); the run ends when everything is copied,
 * and a read_committed reader reads the output (`poll` ops). Judged by kafka-exactly-once:
 * output = input, each record once. Made for `--nemesis kill` / `pause` (the copiers replace
 * their producer after any error; the new one fences the old).
 */
export const kafkaTxnCopy: WorkloadDefinition = {
  name: 'kafka-txn-copy',
  system: 'kafka',
  description: 'consume-transform-produce in transactions (one copier per partition), checked for exactly-once',
  judgedBy: 'kafka-exactly-once (output = input, each record once)',
  params,
  nemesis: ['kill', 'pause', 'clock'],
  injectBugs: [],
  defaults: { rate: null, durationSeconds: 600, warmupSeconds: 0, clients: 4, inFlight: 4 },
  configure: configureTxnCopy,
};

function configureTxnCopy(opts: WorkloadOptions): ConfiguredWorkload {
  const p = new WorkloadParams('kafka-txn-copy', params, opts.params);
  const s: TxnCopySettings = {
    records: p.int('records', 1, 100_000_000),
    txnRecords: p.int('txn-records', 1, 1_000_000),
    producerBatch: p.int('producer-batch', 1, 100_000),
    txnTimeoutMs: p.int('txn-timeout', 1000, 900_000),
    finalTimeoutMs: p.int('final-timeout', 1, 3600) * 1000,
    partitions: opts.inFlight,
  };
  return {
    client: 'kafkajs',
    settings: { partitions: s.partitions, copiers: s.partitions, recordsPerTransaction: s.txnRecords, acks: 'all', isolation: 'read_committed' },
    extra: { records: s.records, params: p.resolved() },
    checked: true,
    nemesis: nemesisSettingsFrom(p),
    start: (ctx) => startTxnCopy(ctx, s),
  };
}

async function startTxnCopy(ctx: WorkloadStartContext, s: TxnCopySettings): Promise<RunningWorkload> {
  const bootstrap = connectString(ctx.target);
  const prefix = `kzbench-txn-copy-${process.pid}-${randomBytes(3).toString('hex')}`;
  const topics = { input: `${prefix}-in`, output: `${prefix}-out` };
  const history = new EosHistory(ctx.session.history ?? new HistoryRecorder({ keep: true }), () => ctx.session.elapsedNs(), OWN_PROCESSES_START);
  const admin = kafkajsClient(bootstrap, 'kzbench-txn-copy-admin').admin();
  await admin.connect();
  try {
    await admin.createTopics({ waitForLeaders: true, topics: [topics.input, topics.output].map((topic) => ({ topic, numPartitions: s.partitions, replicationFactor: 1 })) });
  } finally {
    await disconnectQuietly(admin);
  }
  ctx.log.info(`writing ${s.records} input records to ${topics.input}`);
  const input = await produceInput(history, { bootstrap, topic: topics.input, partitions: s.partitions, records: s.records, batch: s.producerBatch });
  let copied = 0;
  const copiers = Array.from(
    { length: s.partitions },
    (_, partition) =>
      new TxnCopier({
        bootstrap,
        inputTopic: topics.input,
        outputTopic: topics.output,
        partition,
        group: `${prefix}-copier`,
        transactionalId: `${prefix}-copier-${partition}`,
        maxRecordsPerTxn: s.txnRecords,
        transactionTimeoutMs: s.txnTimeoutMs,
        inputComplete: () => true,
        onCommitted: (n) => (copied += n),
      }),
  );
  const done = new Set<number>();
  let outputRecords = 0;
  const nothing = [['poll']];

  return {
    // One transaction per op; the run ends once every partition is copied.
    generator: () => (done.size === copiers.length ? null : { f: 'txn', value: nothing }),
    executor: async (_op, octx): Promise<OpCompletion> => {
      const partition = octx.worker % copiers.length;
      for (;;) {
        if (octx.signal.aborted) return { type: 'fail', value: nothing, error: 'abandoned before a transaction began' };
        if (done.has(partition)) {
          // This worker's partition is copied: wait for the others, then end without a transaction.
          while (done.size < copiers.length && !octx.signal.aborted) await new Promise((r) => setTimeout(r, 200));
          return { type: 'fail', value: nothing, error: 'partition already copied' };
        }
        octx.markSent();
        const step = await copiers[partition]!.step();
        if (step === 'done') done.add(partition);
        else if (step !== 'idle') return { type: step.outcome, value: step.value, ...(step.error !== undefined ? { error: step.error } : {}) };
      }
    },
    finish: async () => {
      outputRecords = await readOutput(history, { bootstrap, topic: topics.output, partitions: s.partitions, timeoutMs: s.finalTimeoutMs });
    },
    connections: s.partitions * 2 + 1,
    check: async (ops: readonly Op[]): Promise<CheckResult[]> => [checkExactlyOnce(ops)],
    facts: () => ({ topics, inputAcknowledged: input.acknowledged, inputIndeterminate: input.indeterminate, copied, outputRecords, copiers: copiers.map((c) => c.result) }),
    close: async () => {
      await Promise.allSettled(copiers.map((c) => c.close()));
    },
  };
}
