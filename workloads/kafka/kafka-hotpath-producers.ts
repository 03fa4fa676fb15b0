import kafkajs from 'kafkajs';
import type { CompressionName } from '../../protocols/kafka/records/compression/compression-type.js';
import { KafkaResponseError } from '../clients/kafka/client-errors.js';
import { FastProducer } from '../clients/kafka/fast-producer.js';
import type { KafkaClient } from '../clients/kafka/kafka-client.js';

export const kafkaHotpathClients = ['kzbench', 'kafkajs'] as const;
export type KafkaHotpathClient = (typeof kafkaHotpathClients)[number];

export interface HotpathProducerSettings {
  topic: string;
  acks: 0 | 1 | -1;
  lingerMs: number;
  batchSize: number;
  maxInFlight: number;
  compression: CompressionName;
}

/** Where the records of one produce op landed: the highest offset per partition. */
export type ProducedOffsets = Map<number, number>;

/** One producer instance (its own connection) that sends `records` copies of a value and waits for the acks. */
export interface HotpathProducer {
  produce(value: Buffer, records: number, partitionHint: number): Promise<ProducedOffsets>;
  close(): Promise<void>;
}

/**
 * kzbench's FastProducer: records of concurrent ops share batches (linger, batch size), up to
 * `maxInFlight` Produce requests per connection.
 */
export async function openFastProducer(client: KafkaClient, s: HotpathProducerSettings): Promise<HotpathProducer> {
  const producer = await FastProducer.create(client, {
    acks: s.acks,
    lingerMs: s.lingerMs,
    batchSize: s.batchSize,
    maxInFlight: s.maxInFlight,
    compression: s.compression,
  });
  await producer.prepare(s.topic);
  return {
    produce: (value, records) =>
      new Promise((resolve, reject) => {
        const offsets: ProducedOffsets = new Map();
        let pending = records;
        let failed = false;
        for (let i = 0; i < records; i++) {
          producer.send({ topic: s.topic, value }, (err, meta) => {
            if (failed) return;
            if (err) {
              failed = true;
              reject(err);
              return;
            }
            offsets.set(meta!.partition, Math.max(offsets.get(meta!.partition) ?? -1, meta!.offset));
            if (--pending === 0) resolve(offsets);
          });
        }
      }),
    close: () => producer.close(),
  };
}

/**
 * kafkajs 2.2.4: one Produce request per `send()` (kafkajs has no linger), so an op's records
 * travel together as one batch to an explicit partition (round robin over ops).
 */
export async function openKafkajsProducer(bootstrap: string, s: HotpathProducerSettings): Promise<HotpathProducer> {
  const kafka = new kafkajs.Kafka({ clientId: 'kzbench-kafkajs', brokers: bootstrap.split(','), logLevel: kafkajs.logLevel.NOTHING });
  const producer = kafka.producer({ maxInFlightRequests: s.maxInFlight, allowAutoTopicCreation: false });
  await producer.connect();
  const compression = s.compression === 'gzip' ? kafkajs.CompressionTypes.GZIP : kafkajs.CompressionTypes.None;
  return {
    produce: async (value, records, partition) => {
      const messages = new Array<{ value: Buffer; partition: number }>(records);
      for (let i = 0; i < records; i++) messages[i] = { value, partition };
      const meta = await producer.send({ topic: s.topic, acks: s.acks, compression, messages });
      const offsets: ProducedOffsets = new Map();
      for (const m of meta) {
        if (m.errorCode !== 0) throw new KafkaResponseError(m.errorCode, `kafkajs produce to ${s.topic}-${m.partition}`);
        if (m.baseOffset !== undefined) offsets.set(m.partition, Number(m.baseOffset) + records - 1);
      }
      return offsets;
    },
    close: () => producer.disconnect(),
  };
}

// Produce errors after which the records may still have been written.
const indeterminateProduceErrors = new Set(['REQUEST_TIMED_OUT', 'NOT_ENOUGH_REPLICAS_AFTER_APPEND', 'NETWORK_EXCEPTION']);

/**
 * History semantics of a failed produce: `fail` when the broker answered with an error that
 * means the records were not written, `info` otherwise (connection loss, timeouts, errors of
 * another library whose meaning we cannot tell).
 */
export function produceFailureType(err: unknown): 'fail' | 'info' {
  return err instanceof KafkaResponseError && !indeterminateProduceErrors.has(err.errorName) ? 'fail' : 'info';
}
