import type { CompressionName } from '../../../protocols/kafka/records/compression/compression-type.js';
import { FastProducer, type BatchReport } from './fast-producer.js';
import { KafkaClient } from './kafka-client.js';

export interface ProduceLoadOptions {
  /** "host:port[,host:port]" */
  bootstrap: string;
  topic: string;
  /** Create the topic first (ignored if it exists) with this many partitions. */
  createPartitions?: number;
  records: number;
  recordSize: number;
  /** Bytes per key (default 0: keyless records, sticky partitioning). */
  keySize?: number;
  acks?: 0 | 1 | -1;
  lingerMs?: number;
  batchSize?: number;
  maxInFlight?: number;
  compression?: CompressionName;
  idempotent?: boolean;
  /** Per-batch report: latency = completedAtNs - firstAppendNs (queueing + linger + service). */
  onBatch?: (report: BatchReport) => void;
  clientId?: string;
}

export interface ProduceLoadResult {
  records: number;
  /** Payload bytes (keys + values). */
  bytes: number;
  batches: number;
  failedBatches: number;
  durationNs: bigint;
  recordsPerSec: number;
  megabytesPerSec: number;
}

/**
 * Produce `records` records of `recordSize` bytes as fast as the producer settings allow
 * (closed loop, bounded by the producer's buffer), and report throughput. The small driver
 * API for benchmarks: the clock starts after connect and metadata, and stops when the last
 * batch is acknowledged.
 */
export async function runProduceLoad(opts: ProduceLoadOptions): Promise<ProduceLoadResult> {
  const client = await KafkaClient.connect({ bootstrap: opts.bootstrap, clientId: opts.clientId ?? 'kzbench-producer' });
  try {
    if (opts.createPartitions) await client.createTopic(opts.topic, { partitions: opts.createPartitions, ifNotExists: true });
    let batches = 0;
    let failedBatches = 0;
    let firstError: Error | null = null;
    const producer = await FastProducer.create(client, {
      acks: opts.acks,
      lingerMs: opts.lingerMs,
      batchSize: opts.batchSize,
      maxInFlight: opts.maxInFlight,
      compression: opts.compression,
      idempotent: opts.idempotent,
      onBatch: (r) => {
        batches++;
        if (r.error) {
          failedBatches++;
          firstError ??= r.error;
        }
        opts.onBatch?.(r);
      },
    });
    await producer.prepare(opts.topic);
    // Distinct values are not needed for throughput; one shared payload avoids measuring the generator.
    const value = Buffer.alloc(opts.recordSize, 0x61);
    const keySize = opts.keySize ?? 0;
    const start = process.hrtime.bigint();
    for (let i = 0; i < opts.records; i++) {
      let key: Buffer | null = null;
      if (keySize > 0) {
        key = Buffer.alloc(keySize);
        key.writeUInt32BE(i >>> 0, Math.max(0, keySize - 4));
      }
      if (!producer.send({ topic: opts.topic, key, value })) await producer.waitForSpace();
    }
    await producer.flush();
    const durationNs = process.hrtime.bigint() - start;
    await producer.close();
    if (firstError && failedBatches === batches) throw firstError;
    const seconds = Number(durationNs) / 1e9;
    const bytes = opts.records * (opts.recordSize + keySize);
    return {
      records: opts.records,
      bytes,
      batches,
      failedBatches,
      durationNs,
      recordsPerSec: opts.records / seconds,
      megabytesPerSec: bytes / seconds / (1024 * 1024),
    };
  } finally {
    await client.close();
  }
}
