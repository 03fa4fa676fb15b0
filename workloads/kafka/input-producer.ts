import type { Producer } from 'kafkajs';
import { type EosHistory, partitionKey } from './eos-history.js';
import { disconnectQuietly, kafkajsClient } from './kafkajs-factory.js';
import { withDeadline } from './step-deadline.js';

export interface InputProducerOptions {
  bootstrap: string;
  topic: string;
  partitions: number;
  /** Values to write: `firstValue` … `firstValue + records - 1`, unique across the run. */
  records: number;
  firstValue?: number;
  /** Records per send (one partition each, partitions taken in turn). */
  batch: number;
  signal?: AbortSignal;
  onProgress?: (acknowledged: number) => void;
}

export interface InputProducerResult {
  acknowledged: number;
  /** Sends whose outcome is unknown (the broker died under them). */
  indeterminate: number;
}

/**
 * Writes the input with an idempotent kafkajs producer (acks=all), one `send` op per batch,
 * recording each record's offset. A failed send (or one without an answer within a minute) is
 * `info` (it may have landed); the producer is then replaced, under a new process id, and the
 * next values are sent.
 */
export async function produceInput(history: EosHistory, o: InputProducerOptions): Promise<InputProducerResult> {
  const kafka = kafkajsClient(o.bootstrap, 'kzbench-eos-input');
  let producer: Producer | undefined;
  let process = history.newProcess();
  let acknowledged = 0;
  let indeterminate = 0;
  const first = o.firstValue ?? 0;
  try {
    for (let sent = 0, turn = 0; sent < o.records; turn++) {
      if (o.signal?.aborted) break;
      const partition = turn % o.partitions;
      const values = Array.from({ length: Math.min(o.batch, o.records - sent) }, (_, i) => String(first + sent + i));
      sent += values.length;
      const key = partitionKey('in', partition);
      const complete = history.invoke(process, 'send', values.map((v) => ['send', key, v]));
      try {
        if (!producer) {
          producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
          await producer.connect();
        }
        const [meta] = await withDeadline(producer.send({ topic: o.topic, acks: -1, messages: values.map((value) => ({ partition, value })) }), 60_000, 'an input send');
        const base = Number(meta!.baseOffset);
        complete('ok', values.map((v, i) => ['send', key, [base + i, v]]));
        acknowledged += values.length;
        o.onProgress?.(acknowledged);
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
