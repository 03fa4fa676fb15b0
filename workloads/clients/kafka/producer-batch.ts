import { CompressionType, type CompressionName } from '../../../protocols/kafka/records/compression/compression-type.js';
import { encodeRecordBatch } from '../../../protocols/kafka/records/record-batch.js';
import { Attribute, NO_PARTITION_LEADER_EPOCH } from '../../../protocols/kafka/records/record-batch-layout.js';
import type { Record, RecordHeader } from '../../../protocols/kafka/records/record.js';

export interface RecordMetadata {
  topic: string;
  partition: number;
  /** Offset assigned by the broker; -1 with acks=0. */
  offset: number;
  timestamp: number;
}

export type DeliveryCallback = (err: Error | null, meta: RecordMetadata | null) => void;

/** Rough bytes a record adds to a batch (varint lengths and the record header included). */
export function estimateRecordBytes(key: Buffer | null, value: Buffer | null, headers: RecordHeader[]): number {
  let n = 21 + (key?.length ?? 0) + (value?.length ?? 0);
  for (const h of headers) n += 10 + h.key.length + (h.value?.length ?? 0);
  return n;
}

/**
 * Records appended to one partition, not yet sent. Sealed when full or when linger expires;
 * then encoded once (records module, compressed if asked) with its producer id, epoch and
 * sequence, and sent in the next Produce request to the partition's leader.
 */
export class ProducerBatch {
  readonly records: Record[] = [];
  estimatedBytes = 61;
  readonly firstAppendNs: bigint;
  readonly baseTimestamp: number;
  private maxTimestamp: number;
  /** Per-record callbacks, only allocated when a caller asked for one. */
  callbacks: Array<DeliveryCallback | undefined> | null = null;
  encoded: Buffer | null = null;
  encodeError: Error | null = null;
  sentAtNs = 0n;
  /** Sequence of the first record (-1 without idempotence); a retry resends the same bytes. */
  baseSequence = -1;
  /** Produce attempts so far. */
  attempts = 0;

  constructor(
    readonly topic: string,
    readonly partition: number,
    timestamp: number,
  ) {
    this.firstAppendNs = process.hrtime.bigint();
    this.baseTimestamp = timestamp;
    this.maxTimestamp = timestamp;
  }

  get count(): number {
    return this.records.length;
  }

  append(key: Buffer | null, value: Buffer | null, headers: RecordHeader[], timestamp: number, bytes: number, callback?: DeliveryCallback): void {
    const offsetDelta = this.records.length;
    this.records.push({ attributes: 0, timestampDelta: timestamp - this.baseTimestamp, offsetDelta, key, value, headers });
    if (timestamp > this.maxTimestamp) this.maxTimestamp = timestamp;
    this.estimatedBytes += bytes;
    if (callback) {
      this.callbacks ??= new Array(offsetDelta);
      this.callbacks[offsetDelta] = callback;
    }
  }

  async encode(opts: { compression: CompressionName; producerId: number; producerEpoch: number; baseSequence: number; transactional: boolean }): Promise<void> {
    let attributes: number = CompressionType[opts.compression];
    if (opts.transactional) attributes |= Attribute.transactional;
    try {
      this.encoded = await encodeRecordBatch({
        baseOffset: 0,
        partitionLeaderEpoch: NO_PARTITION_LEADER_EPOCH,
        attributes,
        lastOffsetDelta: this.records.length - 1,
        baseTimestamp: this.baseTimestamp,
        maxTimestamp: this.maxTimestamp,
        producerId: opts.producerId,
        producerEpoch: opts.producerEpoch,
        baseSequence: opts.baseSequence,
        records: this.records,
      });
    } catch (err) {
      this.encodeError = err as Error;
    }
  }

  /** Tell every per-record callback the outcome. */
  complete(err: Error | null, baseOffset: number): void {
    const cbs = this.callbacks;
    if (!cbs) return;
    for (let i = 0; i < cbs.length; i++) {
      const cb = cbs[i];
      if (!cb) continue;
      if (err) cb(err, null);
      else cb(null, { topic: this.topic, partition: this.partition, offset: baseOffset < 0 ? -1 : baseOffset + i, timestamp: this.baseTimestamp + this.records[i]!.timestampDelta });
    }
  }
}
