import type { Kafka, Producer } from 'kafkajs';
import type { EosHistory } from './eos-history.js';
import { disconnectQuietly } from './kafkajs-factory.js';
import { withDeadline } from './step-deadline.js';

export interface RecordedProducerOptions {
  kafka: Kafka;
  topic: string;
  partitions: number;
  /** The history's key for a partition of the topic. */
  keyOf: (partition: number) => string;
  /** Values to write: `firstValue` … `firstValue + records - 1`, unique across the run. */
  records: number;
  firstValue: number;
  /** Records per send (one partition each, partitions taken in turn). */
  batch: number;
  /** Asked before each send: false stops sending. */
  proceed: () => boolean;
  /** A bound on one send, and what the timeout error calls it; without it a send waits as long as kafkajs does. */
  sendDeadline?: { ms: number; what: string };
  /** The values of each acknowledged send, and how many have been acknowledged so far. */
  onAcknowledged?: (values: readonly string[], acknowledged: number) => void;
}

export interface RecordedProducerResult {
  acknowledged: number;
  /** Values whose send has an unknown outcome (the broker died under them). */
  indeterminate: number;
}

/**
 * Sends unique values with an idempotent kafkajs producer (acks=all), one `send` op per batch,
 * recording each record's offset. A failed send is `info` (it may have landed); the producer
 * is then replaced, under a new process id, and the next values are sent.
 */
export async function produceRecorded(history: EosHistory, o: RecordedProducerOptions): Promise<RecordedProducerResult> {
  let producer: Producer | undefined;
  let process = history.newProcess();
  let acknowledged = 0;
  let indeterminate = 0;
  try {
    for (let sent = 0, turn = 0; sent < o.records && o.proceed(); turn++) {
      const partition = turn % o.partitions;
      const key = o.keyOf(partition);
      const values = Array.from({ length: Math.min(o.batch, o.records - sent) }, (_, i) => String(o.firstValue + sent + i));
      sent += values.length;
      const complete = history.invoke(process, 'send', values.map((v) => ['send', key, v]));
      try {
        if (!producer) {
          producer = o.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
          await producer.connect();
        }
        const sending = producer.send({ topic: o.topic, acks: -1, messages: values.map((value) => ({ partition, value })) });
        const [meta] = await (o.sendDeadline ? withDeadline(sending, o.sendDeadline.ms, o.sendDeadline.what) : sending);
        const base = Number(meta!.baseOffset);
        complete('ok', values.map((v, i) => ['send', key, [base + i, v]]));
        acknowledged += values.length;
        o.onAcknowledged?.(values, acknowledged);
      } catch (err) {
        complete('info', values.map((v) => ['send', key, v]), err);
        indeterminate += values.length;
        process = history.newProcess();
        if (producer) await disconnectQuietly(producer);
        producer = undefined;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  } finally {
    if (producer) await disconnectQuietly(producer);
  }
  return { acknowledged, indeterminate };
}
