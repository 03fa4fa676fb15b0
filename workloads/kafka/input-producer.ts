import { type EosHistory, partitionKey } from './eos-history.js';
import { kafkajsClient } from './kafkajs-factory.js';
import { produceRecorded, type RecordedProducerResult } from './recorded-producer.js';

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

export type InputProducerResult = RecordedProducerResult;

/**
 * Writes the input with an idempotent kafkajs producer (acks=all), one `send` op per batch,
 * recording each record's offset. A failed send (or one without an answer within a minute) is
 * `info` (it may have landed); the producer is then replaced, under a new process id, and the
 * next values are sent.
 */
export function produceInput(history: EosHistory, o: InputProducerOptions): Promise<InputProducerResult> {
  return produceRecorded(history, {
    kafka: kafkajsClient(o.bootstrap, 'kzbench-eos-input'),
    topic: o.topic,
    partitions: o.partitions,
    keyOf: (partition) => partitionKey('in', partition),
    records: o.records,
    firstValue: o.firstValue ?? 0,
    batch: o.batch,
    proceed: () => !o.signal?.aborted,
    sendDeadline: { ms: 60_000, what: 'an input send' },
    onAcknowledged: (_values, acknowledged) => o.onProgress?.(acknowledged),
  });
}
