import { CompressionType } from './compression/compression-type.js';
import { CorruptRecordBatchError } from './corrupt-record-batch-error.js';
import { crc32c } from './crc32c.js';
import { compressionOf } from './record-batch-header.js';
import { BATCH_HEADER_BYTES, BATCH_LOG_OVERHEAD, BatchField, CRC_START, CURRENT_MAGIC } from './record-batch-layout.js';
import { type Cursor, readVarint } from './varint.js';

const MIN_BATCH_LENGTH = BATCH_HEADER_BYTES - BATCH_LOG_OVERHEAD;

/**
 * Size of the batch starting at `pos`, or -1 when the bytes up to `end` hold only part of
 * it (a torn log tail, or a fetch response cut at its size limit). Throws when the length
 * field is impossible, since then nothing after it can be framed.
 */
export function batchSizeAt(buf: Buffer, pos: number, end = buf.length): number {
  if (pos + BATCH_LOG_OVERHEAD > end) return -1;
  const batchLength = buf.readInt32BE(pos + BatchField.batchLength);
  if (batchLength < MIN_BATCH_LENGTH) {
    throw new CorruptRecordBatchError('length', `record batch length ${batchLength} is below the ${MIN_BATCH_LENGTH}-byte minimum`);
  }
  const size = batchLength + BATCH_LOG_OVERHEAD;
  return pos + size > end ? -1 : size;
}

export interface CheckOptions {
  /** Walk the varint structure of uncompressed records (no allocation). Default true. */
  checkRecords?: boolean;
}

/**
 * Checks the batch at `pos` without decompressing it: framing, magic, CRC-32C, codec id and,
 * for uncompressed batches, that the records exactly fill the batch with the declared count.
 * Returns the batch size; throws CorruptRecordBatchError saying what is wrong.
 */
export function checkRecordBatch(buf: Buffer, pos: number, end = buf.length, opts: CheckOptions = {}): number {
  const size = batchSizeAt(buf, pos, end);
  if (size < 0 || pos + BATCH_HEADER_BYTES > end) {
    throw new CorruptRecordBatchError('truncated', `record batch at byte ${pos} is truncated (${end - pos} bytes left)`);
  }
  const magic = buf.readInt8(pos + BatchField.magic);
  if (magic !== CURRENT_MAGIC) throw new CorruptRecordBatchError('magic', `record batch magic ${magic}; only magic 2 (Kafka 0.11+) is accepted`);
  const stored = buf.readUInt32BE(pos + BatchField.crc);
  const actual = crc32c(buf.subarray(pos + CRC_START, pos + size));
  if (stored !== actual) {
    throw new CorruptRecordBatchError('crc', `record batch CRC-32C mismatch: stored ${stored.toString(16)}, computed ${actual.toString(16)}`);
  }
  const attributes = buf.readInt16BE(pos + BatchField.attributes);
  const compression = compressionOf(attributes);
  if (compression > CompressionType.zstd) throw new CorruptRecordBatchError('compression', `unknown compression codec id ${compression}`);
  const count = buf.readInt32BE(pos + BatchField.recordsCount);
  const lastOffsetDelta = buf.readInt32BE(pos + BatchField.lastOffsetDelta);
  if (count < 0 || lastOffsetDelta < 0) {
    throw new CorruptRecordBatchError('records', `record batch has record count ${count} and last offset delta ${lastOffsetDelta}`);
  }
  if (compression === CompressionType.none && opts.checkRecords !== false) {
    walkRecords({ buf, pos: pos + BATCH_HEADER_BYTES, end: pos + size }, count);
  }
  return size;
}

/**
 * For the uncompressed batch of `size` bytes at `pos` (already framed by checkRecordBatch):
 * its records exactly fill it with the declared count. Throws CorruptRecordBatchError
 * ('records') otherwise.
 */
export function checkUncompressedRecords(buf: Buffer, pos: number, size: number): void {
  walkRecords({ buf, pos: pos + BATCH_HEADER_BYTES, end: pos + size }, buf.readInt32BE(pos + BatchField.recordsCount));
}

/** Steps over `count` records checking each one's declared length against its fields. */
function walkRecords(c: Cursor, count: number): void {
  try {
    for (let i = 0; i < count; i++) {
      const length = readVarint(c);
      if (length <= 0 || c.pos + length > c.end) throw new Error(`record ${i} of ${length} bytes overruns the batch`);
      c.pos += length;
    }
  } catch (err) {
    throw new CorruptRecordBatchError('records', `malformed records: ${(err as Error).message}`);
  }
  if (c.pos !== c.end) throw new CorruptRecordBatchError('records', `${c.end - c.pos} bytes left after the declared ${count} records`);
}
