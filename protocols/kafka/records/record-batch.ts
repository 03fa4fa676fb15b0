import { KafkaCodecError } from '../codec-error.js';
import { codecFor } from './compression/codecs.js';
import { CompressionType } from './compression/compression-type.js';
import { crc32c } from './crc32c.js';
import { type Record, readRecord, sizeOfRecord, writeRecord } from './record.js';
import { type RecordBatchHeader, compressionOf, readRecordBatchHeader } from './record-batch-header.js';
import {
  Attribute,
  BATCH_HEADER_BYTES,
  BATCH_LOG_OVERHEAD,
  BatchField,
  CRC_START,
  CURRENT_MAGIC,
  NO_PARTITION_LEADER_EPOCH,
  NO_PRODUCER_EPOCH,
  NO_PRODUCER_ID,
  NO_SEQUENCE,
} from './record-batch-layout.js';
import { writeInt64 } from './varint.js';

/** A decoded record batch v2: its header and its (decompressed) records. */
export interface RecordBatch extends RecordBatchHeader {
  records: Record[];
}

/** What an encoder needs; the rest (length, magic, CRC, count) follows from it. */
export interface RecordBatchInit {
  baseOffset: number;
  partitionLeaderEpoch: number;
  attributes: number;
  lastOffsetDelta: number;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  records: Record[];
}

export interface DecodeOptions {
  /** Check the CRC-32C (default true). */
  verifyCrc?: boolean;
}

/** Throws KafkaCodecError if the CRC stored in the batch at `pos` does not match its bytes. */
export function verifyBatchCrc(buf: Buffer, pos: number, size: number): void {
  const stored = buf.readUInt32BE(pos + BatchField.crc);
  const actual = crc32c(buf.subarray(pos + CRC_START, pos + size));
  if (stored !== actual) {
    throw new KafkaCodecError(`record batch CRC mismatch: stored ${stored.toString(16)}, computed ${actual.toString(16)}`);
  }
}

/**
 * Decodes the batch at `pos` of `buf` (exactly one batch; the caller splits a record set,
 * see record-batch-spans.ts). Decompresses when a codec is set. Record keys and values are
 * views into `buf` or into the decompressed buffer.
 */
export async function decodeRecordBatch(buf: Buffer, pos = 0, opts: DecodeOptions = {}): Promise<RecordBatch> {
  const header = readRecordBatchHeader(buf, pos);
  if (header.magic !== CURRENT_MAGIC) throw new KafkaCodecError(`unsupported record batch magic ${header.magic} (only v2 is supported)`);
  const size = header.batchLength + BATCH_LOG_OVERHEAD;
  if (header.batchLength < BATCH_HEADER_BYTES - BATCH_LOG_OVERHEAD || pos + size > buf.length) {
    throw new KafkaCodecError(`record batch length ${header.batchLength} does not fit the ${buf.length - pos} bytes available`);
  }
  if (opts.verifyCrc !== false) verifyBatchCrc(buf, pos, size);
  if (header.recordsCount < 0) throw new KafkaCodecError(`negative record count ${header.recordsCount}`);

  let body = buf.subarray(pos + BATCH_HEADER_BYTES, pos + size);
  const compression = compressionOf(header.attributes);
  if (compression !== CompressionType.none) body = await codecFor(compression).decompress(body);
  // Every record takes at least 7 bytes; a larger count is a lie that would make us loop on garbage.
  if (header.recordsCount > body.length) throw new KafkaCodecError(`record count ${header.recordsCount} cannot fit in ${body.length} bytes`);

  const cursor = { buf: body, pos: 0, end: body.length };
  const records: Record[] = new Array(header.recordsCount);
  for (let i = 0; i < header.recordsCount; i++) records[i] = readRecord(cursor);
  if (cursor.pos !== body.length) {
    throw new KafkaCodecError(`record batch has ${body.length - cursor.pos} bytes after its ${header.recordsCount} records`);
  }
  return { ...header, records };
}

/** Encodes a batch, compressing the records with the codec named in `attributes` (at `level`, else the codec's default). */
export async function encodeRecordBatch(init: RecordBatchInit, level?: number): Promise<Buffer> {
  let body = encodeRecordsBody(init.records);
  const compression = compressionOf(init.attributes);
  if (compression !== CompressionType.none) body = await codecFor(compression).compress(body, level);
  return frameRecordBatch(init, body);
}

/**
 * Encodes an uncompressed batch synchronously, for writers that must append in the same tick
 * as they validate (a broker's coordinators and transaction markers). Throws if `attributes`
 * names a codec.
 */
export function encodeUncompressedRecordBatch(init: RecordBatchInit): Buffer {
  if (compressionOf(init.attributes) !== CompressionType.none) throw new KafkaCodecError('encodeUncompressedRecordBatch cannot compress; use encodeRecordBatch');
  return frameRecordBatch(init, encodeRecordsBody(init.records));
}

function encodeRecordsBody(records: Record[]): Buffer {
  let recordsSize = 0;
  for (const r of records) recordsSize += sizeOfRecord(r);
  const body: Buffer = Buffer.allocUnsafe(recordsSize);
  let p = 0;
  for (const r of records) p = writeRecord(body, p, r);
  return body;
}

/** The 61-byte header (CRC included) followed by the (possibly compressed) records body. */
function frameRecordBatch(init: RecordBatchInit, body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(BATCH_HEADER_BYTES + body.length);
  writeInt64(out, BatchField.baseOffset, init.baseOffset);
  out.writeInt32BE(out.length - BATCH_LOG_OVERHEAD, BatchField.batchLength);
  out.writeInt32BE(init.partitionLeaderEpoch, BatchField.partitionLeaderEpoch);
  out.writeInt8(CURRENT_MAGIC, BatchField.magic);
  out.writeInt16BE(init.attributes, BatchField.attributes);
  out.writeInt32BE(init.lastOffsetDelta, BatchField.lastOffsetDelta);
  writeInt64(out, BatchField.baseTimestamp, init.baseTimestamp);
  writeInt64(out, BatchField.maxTimestamp, init.maxTimestamp);
  writeInt64(out, BatchField.producerId, init.producerId);
  out.writeInt16BE(init.producerEpoch, BatchField.producerEpoch);
  out.writeInt32BE(init.baseSequence, BatchField.baseSequence);
  out.writeInt32BE(init.records.length, BatchField.recordsCount);
  body.copy(out, BATCH_HEADER_BYTES);
  out.writeUInt32BE(crc32c(out.subarray(CRC_START)), BatchField.crc);
  return out;
}

/** A message as a producer thinks of it. */
export interface ProducerMessage {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  headers?: { key: string; value: Buffer | string | null }[];
  /** Create time in ms; defaults to the batch's `timestamp` option, then Date.now(). */
  timestamp?: number;
}

export interface BuildBatchOptions {
  compression?: CompressionType;
  baseOffset?: number;
  partitionLeaderEpoch?: number;
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  transactional?: boolean;
  logAppendTime?: boolean;
  /** Default create time of messages without one. */
  timestamp?: number;
}

function toBytes(v: Buffer | string | null | undefined): Buffer | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
}

/**
 * Builds a batch the way a producer does: consecutive offset deltas, the first message's
 * timestamp as the base (as the Java client does) and the largest as maxTimestamp.
 */
export function buildRecordBatch(messages: ProducerMessage[], opts: BuildBatchOptions = {}): Promise<Buffer> {
  if (messages.length === 0) throw new KafkaCodecError('a record batch needs at least one record');
  const now = opts.timestamp ?? Date.now();
  const stamps = messages.map((m) => m.timestamp ?? now);
  const baseTimestamp = stamps[0]!;
  const records: Record[] = messages.map((m, i) => ({
    attributes: 0,
    timestampDelta: stamps[i]! - baseTimestamp,
    offsetDelta: i,
    key: toBytes(m.key),
    value: toBytes(m.value),
    headers: (m.headers ?? []).map((h) => ({ key: h.key, value: toBytes(h.value) })),
  }));
  let attributes = opts.compression ?? CompressionType.none;
  if (opts.transactional) attributes |= Attribute.transactional;
  if (opts.logAppendTime) attributes |= Attribute.logAppendTime;
  return encodeRecordBatch({
    baseOffset: opts.baseOffset ?? 0,
    partitionLeaderEpoch: opts.partitionLeaderEpoch ?? NO_PARTITION_LEADER_EPOCH,
    attributes,
    lastOffsetDelta: messages.length - 1,
    baseTimestamp,
    maxTimestamp: stamps.reduce((a, b) => Math.max(a, b), baseTimestamp),
    producerId: opts.producerId ?? NO_PRODUCER_ID,
    producerEpoch: opts.producerEpoch ?? NO_PRODUCER_EPOCH,
    baseSequence: opts.baseSequence ?? NO_SEQUENCE,
    records,
  });
}
