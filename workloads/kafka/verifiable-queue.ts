import type { Consumer } from 'kafkajs';
import type { Op } from '../../checkers/history/op.js';
import { HistoryRecorder } from '../runner/history-recorder.js';
import { EosHistory } from './eos-history.js';
import { disconnectQuietly, kafkajsClient } from './kafkajs-factory.js';
import { produceRecorded } from './recorded-producer.js';

export interface VerifiableQueueOptions {
  bootstrap: string;
  records: number;
  partitions: number;
  /** Records per send (one partition each, taken in turn). */
  producerBatch: number;
  /** Consumer group members reading concurrently. */
  consumers: number;
  prefix: string;
  historyFile?: string;
  timeoutMs: number;
  onProgress?: (p: { acknowledged: number; consumed: number }) => void;
}

export interface VerifiableQueueResult {
  history: readonly Op[];
  acknowledged: number;
  indeterminate: number;
  /** Distinct values the consumers saw. */
  consumed: number;
  durationMs: number;
}

/** Keys of the queue checker name topic-partitions: `q-<partition>`. */
function queueKey(partition: number): string {
  return `q-${partition}`;
}

/**
 * Kafka's VerifiableProducer / VerifiableConsumer pair as a Jepsen-style history: an
 * idempotent producer sends unique values (`send` ops with offsets), a consumer group reads
 * them (`subscribe`, then one `poll` op per batch it is handed, committing after each) until
 * every acknowledged value was seen. The kafka-queue checker judges it: no acknowledged value
 * lost, none stored twice, offsets consistent; re-deliveries after rebalances are allowed.
 */
export async function runVerifiableQueue(o: VerifiableQueueOptions): Promise<VerifiableQueueResult> {
  const started = Date.now();
  const topic = `${o.prefix}-queue`;
  const history = new EosHistory(new HistoryRecorder({ keep: true, file: o.historyFile }));
  const kafka = kafkajsClient(o.bootstrap, 'kzbench-verifiable');
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: o.partitions, replicationFactor: 1 }] });
  } finally {
    await disconnectQuietly(admin);
  }
  const acked = new Set<string>();
  const seen = new Set<string>();
  let indeterminate = 0;
  const deadline = Date.now() + o.timeoutMs;
  const progress = () => o.onProgress?.({ acknowledged: acked.size, consumed: seen.size });

  const consumers: Consumer[] = [];
  for (let i = 0; i < o.consumers; i++) {
    const process = history.newProcess();
    const keys = Array.from({ length: o.partitions }, (_, p) => queueKey(p));
    const c = kafka.consumer({ groupId: `${o.prefix}-group`, sessionTimeout: 10_000, heartbeatInterval: 1000, retry: { retries: 12 } });
    consumers.push(c);
    const done = history.invoke(process, 'subscribe', keys);
    await c.connect();
    await c.subscribe({ topic, fromBeginning: true });
    done('ok', keys);
    await c.run({
      autoCommit: false,
      eachBatch: async ({ batch, resolveOffset }) => {
        if (batch.messages.length === 0) return;
        const key = queueKey(batch.partition);
        const complete = history.invoke(process, 'poll', [['poll']]);
        const records = batch.messages.map((m) => [Number(m.offset), m.value!.toString()] as [number, string]);
        complete('ok', [['poll', { [key]: records }]]);
        for (const [, v] of records) seen.add(v);
        for (const m of batch.messages) resolveOffset(m.offset);
        await c.commitOffsets([{ topic, partition: batch.partition, offset: String(records[records.length - 1]![0] + 1) }]);
        progress();
      },
    });
  }

  try {
    const sends = await produceRecorded(history, {
      kafka,
      topic,
      partitions: o.partitions,
      keyOf: queueKey,
      records: o.records,
      firstValue: 0,
      batch: o.producerBatch,
      proceed: () => Date.now() < deadline,
      onAcknowledged: (values) => {
        for (const v of values) acked.add(v);
        progress();
      },
    });
    indeterminate = sends.indeterminate;
    // The final phase: consumers read until every acknowledged value arrived (or time runs out).
    while (Date.now() < deadline && [...acked].some((v) => !seen.has(v))) await new Promise((r) => setTimeout(r, 200));
  } finally {
    for (const c of consumers) await disconnectQuietly(c, 10_000);
    await history.close();
  }
  return { history: history.ops, acknowledged: acked.size, indeterminate, consumed: seen.size, durationMs: Date.now() - started };
}
