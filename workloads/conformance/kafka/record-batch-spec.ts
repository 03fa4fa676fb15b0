import { z } from 'zod';
import { crc32c } from '../../../protocols/kafka/records/crc32c.js';
import { CompressionType, type CompressionName } from '../../../protocols/kafka/records/compression/compression-type.js';
import { encodeRecordBatch } from '../../../protocols/kafka/records/record-batch.js';
import { Attribute, BatchField, CRC_START, NO_PARTITION_LEADER_EPOCH } from '../../../protocols/kafka/records/record-batch-layout.js';
import type { Record } from '../../../protocols/kafka/records/record.js';

/**
 * The produce helper of Kafka scenarios: a `records` field of a request may be written as
 * one batch spec or a list of them (a record set), and is encoded here as a producer would
 * (record batch v2 through protocols/kafka/records), optionally damaged on purpose.
 *
 * ```yaml
 * records:
 *   records: [a, {key: k, value: v, headers: [{key: h, value: x}]}, {value: {size: 2048}}]
 *   compression: gzip
 *   producerId: $pid.producerId
 *   producerEpoch: $pid.producerEpoch
 *   baseSequence: 0
 *   transactional: true
 *   corrupt: crc
 * ```
 */

/** Bytes: UTF-8 text, null, hex, or `size` bytes of 'x'. */
export const PayloadSpec = z.union([
  z.string(),
  z.null(),
  z.strictObject({ hex: z.string().regex(/^(?:[0-9a-fA-F]{2})*$/, 'hex must be pairs of hex digits') }),
  z.strictObject({ size: z.number().int().min(0).max(64 * 1024 * 1024) }),
]);
export type PayloadSpec = z.infer<typeof PayloadSpec>;

/** An integer, or a `$reference` (resolved before the batch is built). */
const IntOrReference = z.union([z.number().int(), z.string().startsWith('$', 'a number or a $reference')]);

const RecordSpec = z.union([
  z.string(),
  z.null(),
  z.strictObject({
    key: PayloadSpec.optional(),
    value: PayloadSpec.optional(),
    headers: z.array(z.strictObject({ key: z.string(), value: PayloadSpec })).optional(),
    /** Create time (ms) of this record; default the batch's timestamp. */
    timestamp: IntOrReference.optional(),
    /** Override the offset delta (default: the record's index), to make a batch Kafka must refuse. */
    offsetDelta: z.number().int().optional(),
  }),
]);

export const BatchSpec = z.strictObject({
  /** Records: a string is a value without key. */
  records: z.array(RecordSpec),
  compression: z.enum(['none', 'gzip', 'snappy', 'lz4', 'zstd']).optional(),
  producerId: IntOrReference.optional(),
  producerEpoch: IntOrReference.optional(),
  baseSequence: IntOrReference.optional(),
  transactional: z.boolean().optional(),
  /** The batch's default create time (ms); default `$now`, the scenario's base time. */
  timestamp: IntOrReference.optional(),
  /** Attribute bit 3: the producer asks for LogAppendTime (brokers ignore it). */
  logAppendTime: z.boolean().optional(),
  /**
   * Damage the encoded batch: `crc` flips a CRC bit; `recordCount` claims one record more
   * than there is (CRC recomputed, so only the count is wrong).
   */
  corrupt: z.enum(['crc', 'recordCount']).optional(),
});
export type BatchSpec = z.infer<typeof BatchSpec>;

/** A `records` field: null, raw hex, one batch or several back to back. */
export const RecordsSpec = z.union([z.null(), z.strictObject({ hex: z.string().regex(/^(?:[0-9a-fA-F]{2})*$/) }), BatchSpec, z.array(BatchSpec)]);
export type RecordsSpec = z.infer<typeof RecordsSpec>;

export function payloadBytes(p: PayloadSpec | undefined): Buffer | null {
  if (p === undefined || p === null) return null;
  if (typeof p === 'string') return Buffer.from(p, 'utf8');
  if ('hex' in p) return Buffer.from(p.hex, 'hex');
  return Buffer.alloc(p.size, 'x');
}

/** Numbers of a batch spec after `$references` were resolved (the builder passes them in). */
export type ResolvedBatchSpec = Omit<BatchSpec, 'producerId' | 'producerEpoch' | 'baseSequence' | 'timestamp' | 'records'> & {
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  timestamp?: number;
  records: Array<string | null | { key?: PayloadSpec; value?: PayloadSpec; headers?: Array<{ key: string; value: PayloadSpec }>; timestamp?: number; offsetDelta?: number }>;
};

/**
 * Encodes a record set from resolved batch specs; `defaultTimestamp` is the scenario's
 * `$now`. Every create time written is added to `timestamps` (the normaliser tells the
 * scenario's own times from the broker's by them).
 */
export async function encodeRecordsSpec(
  spec: ResolvedBatchSpec | ResolvedBatchSpec[] | { hex: string } | null,
  defaultTimestamp: number,
  timestamps: Set<bigint> = new Set(),
): Promise<Buffer | null> {
  if (spec === null) return null;
  if (!Array.isArray(spec) && 'hex' in spec) return Buffer.from(spec.hex, 'hex');
  const batches = Array.isArray(spec) ? spec : [spec];
  return Buffer.concat(await Promise.all(batches.map((b) => encodeBatch(b, defaultTimestamp, timestamps))));
}

async function encodeBatch(spec: ResolvedBatchSpec, defaultTimestamp: number, timestamps: Set<bigint>): Promise<Buffer> {
  const base = spec.timestamp ?? defaultTimestamp;
  const stamps = spec.records.map((r) => (r !== null && typeof r === 'object' ? (r.timestamp ?? base) : base));
  for (const t of stamps) timestamps.add(BigInt(t));
  const baseTimestamp = stamps[0] ?? base;
  const records: Record[] = spec.records.map((r, i) => {
    const full = r === null || typeof r === 'string' ? { value: r } : r;
    return {
      attributes: 0,
      timestampDelta: stamps[i]! - baseTimestamp,
      offsetDelta: full.offsetDelta ?? i,
      key: payloadBytes(full.key),
      value: payloadBytes(full.value),
      headers: (full.headers ?? []).map((h) => ({ key: h.key, value: payloadBytes(h.value) })),
    };
  });
  let attributes: number = CompressionType[(spec.compression ?? 'none') as CompressionName];
  if (spec.transactional) attributes |= Attribute.transactional;
  if (spec.logAppendTime) attributes |= Attribute.logAppendTime;
  const batch = await encodeRecordBatch({
    baseOffset: 0,
    partitionLeaderEpoch: NO_PARTITION_LEADER_EPOCH,
    attributes,
    lastOffsetDelta: Math.max(0, ...records.map((r) => r.offsetDelta)),
    baseTimestamp,
    maxTimestamp: stamps.reduce((a, b) => Math.max(a, b), baseTimestamp),
    producerId: spec.producerId ?? -1,
    producerEpoch: spec.producerEpoch ?? -1,
    baseSequence: spec.baseSequence ?? -1,
    records,
  });
  if (spec.corrupt === 'crc') batch[BatchField.crc + 3] ^= 0x01;
  if (spec.corrupt === 'recordCount') {
    batch.writeInt32BE(records.length + 1, BatchField.recordsCount);
    batch.writeUInt32BE(crc32c(batch.subarray(CRC_START)), BatchField.crc);
  }
  return batch;
}
