import type { Op } from '../../checkers/history/op.js';
import { HistoryRecorder } from '../runner/history-recorder.js';
import { EosHistory } from './eos-history.js';
import { type InputProducerResult, produceInput } from './input-producer.js';
import { disconnectQuietly, kafkajsClient } from './kafkajs-factory.js';
import { readOutput } from './output-verifier.js';
import { TxnCopier, type TxnCopierResult } from './txn-copier.js';

export interface TxnCopyOptions {
  bootstrap: string;
  records: number;
  partitions: number;
  /** Input records per send of the input producer. */
  producerBatch: number;
  /** Records copied per transaction at most. */
  maxRecordsPerTxn: number;
  transactionTimeoutMs: number;
  /** Topic, group and transactional id prefix (each run uses fresh names). */
  prefix: string;
  /** Stream the history to this file as well as keeping it in memory. */
  historyFile?: string;
  /**
   * Copy while the input is still being written (default: write the whole input first, so a
   * fault during the copy cannot make any input record indeterminate).
   */
  concurrentInput?: boolean;
  /** The whole run (producing, copying, verifying) gives up after this long. */
  timeoutMs: number;
  signal?: AbortSignal;
  onProgress?: (p: { acknowledged: number; copied: number }) => void;
}

export interface TxnCopyResult {
  history: readonly Op[];
  input: InputProducerResult;
  copiers: TxnCopierResult[];
  /** Records the read_committed verifier saw in the output. */
  outputRecords: number;
  durationMs: number;
  topics: { input: string; output: string };
}

/**
 * The exactly-once copy (Kafka's transactions system test with TransactionalMessageCopier):
 * an idempotent producer writes `records` unique values to the input topic while one
 * transactional copier per partition copies input to output, committing its input offsets in
 * each transaction; then a read_committed reader reads the whole output. The history
 * (send / txn / poll ops) is what the kafka-exactly-once checker judges: output = input,
 * each record once. Faults (broker kills) are the caller's: every client here rides them out.
 */
export async function runTxnCopy(o: TxnCopyOptions): Promise<TxnCopyResult> {
  const started = Date.now();
  const topics = { input: `${o.prefix}-in`, output: `${o.prefix}-out` };
  const history = new EosHistory(new HistoryRecorder({ keep: true, file: o.historyFile }));
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), o.timeoutMs);
  const onAbort = () => deadline.abort();
  o.signal?.addEventListener('abort', onAbort);
  try {
    const admin = kafkajsClient(o.bootstrap, 'kzbench-eos-admin').admin();
    await admin.connect();
    try {
      await admin.createTopics({ waitForLeaders: true, topics: [topics.input, topics.output].map((topic) => ({ topic, numPartitions: o.partitions, replicationFactor: 1 })) });
    } finally {
      await disconnectQuietly(admin);
    }
    let acknowledged = 0;
    let copied = 0;
    const progress = () => o.onProgress?.({ acknowledged, copied });
    let inputDone = false;
    const producing = produceInput(history, {
      bootstrap: o.bootstrap,
      topic: topics.input,
      partitions: o.partitions,
      records: o.records,
      batch: o.producerBatch,
      signal: deadline.signal,
      onProgress: (n) => {
        acknowledged = n;
        progress();
      },
    }).finally(() => (inputDone = true));
    if (!o.concurrentInput) await producing;
    const copiers = Array.from({ length: o.partitions }, (_, partition) =>
      new TxnCopier({
        bootstrap: o.bootstrap,
        inputTopic: topics.input,
        outputTopic: topics.output,
        partition,
        group: `${o.prefix}-copier`,
        transactionalId: `${o.prefix}-copier-${partition}`,
        maxRecordsPerTxn: o.maxRecordsPerTxn,
        transactionTimeoutMs: o.transactionTimeoutMs,
        inputComplete: () => inputDone,
        signal: deadline.signal,
        onCommitted: (n) => {
          copied += n;
          progress();
        },
      }).run(history),
    );
    const [input, ...copierResults] = await Promise.all([producing, ...copiers]);
    if (deadline.signal.aborted) throw new Error(`the copy did not finish within ${o.timeoutMs} ms (${acknowledged} produced, ${copied} copied)`);
    const outputRecords = await readOutput(history, { bootstrap: o.bootstrap, topic: topics.output, partitions: o.partitions, timeoutMs: Math.max(30_000, o.timeoutMs - (Date.now() - started)) });
    return { history: history.ops, input: input!, copiers: copierResults as TxnCopierResult[], outputRecords, durationMs: Date.now() - started, topics };
  } finally {
    clearTimeout(timer);
    o.signal?.removeEventListener('abort', onAbort);
    await history.close();
  }
}
