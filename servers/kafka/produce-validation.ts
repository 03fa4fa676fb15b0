import { ErrorCode } from '../../protocols/kafka/error-codes.js';
import { CompressionType } from '../../protocols/kafka/records/compression/compression-type.js';
import { CorruptRecordBatchError } from '../../protocols/kafka/records/corrupt-record-batch-error.js';
import { decodeRecordBatch } from '../../protocols/kafka/records/record-batch.js';
import { checkRecordBatch, checkUncompressedRecords } from '../../protocols/kafka/records/record-batch-check.js';
import { BatchField, CURRENT_MAGIC } from '../../protocols/kafka/records/record-batch-layout.js';
import { compressionOf, isControl } from '../../protocols/kafka/records/record-batch-header.js';
import { readInt64 } from '../../protocols/kafka/records/varint.js';
import type { LogConfig } from './log/log-config.js';
import { convertLegacyMessageSet, isLegacyMessageSet } from './legacy-message-set.js';
import { type ProduceRejection, reject, rejectKeyless } from './produce-rejection.js';
import { storedAs } from './topic-compression.js';

export type { ProduceRejection, RecordError } from './produce-rejection.js';

/** Produce v3 is the first to carry record batch v2 only; v0–2 may carry message format v0/v1. */
const FIRST_RECORD_BATCH_VERSION = 3;
/** Produce v7 is the first that may carry zstd (KIP-110). */
const FIRST_ZSTD_VERSION = 7;

/** Accepted: the single v2 batch to append (the request's bytes, or converted from v0/v1 messages). */
export type ProduceCheck = { ok: true; records: Buffer; size: number } | ProduceRejection;

export interface ProduceTarget {
  /** The Produce request version. */
  version: number;
  /** `topic-partition`, as Apache names the partition in its messages. */
  topicPartition: string;
  config: LogConfig;
}

/**
 * What the leader checks before appending a partition's records, in Apache's order
 * (ProduceRequest.validateRecords, UnifiedLog.analyzeAndValidateRecords, LogValidator): one
 * intact batch of magic 2 (v0–2 may instead carry v0/v1 messages, converted here), within
 * max.message.bytes, a client batch (base offset 0, a record count matching its offset
 * range, not a control batch, a sequence when it has a producer id), records that fill it
 * exactly when uncompressed, and — for compacted topics — every record keyed, which needs
 * the records decoded (decompressed). Compressed batches of other topics are not decompressed,
 * unless the topic's compression.type names another codec: then the batch is recompressed.
 */
export async function checkProducedRecords(records: Buffer | null, target: ProduceTarget): Promise<ProduceCheck> {
  const { version, topicPartition, config } = target;
  if (records === null || records.length === 0) {
    return reject('request', ErrorCode.INVALID_RECORD, `Produce requests with version ${version} must have at least one record batch per partition`);
  }
  const magic = records.length > BatchField.magic ? records.readInt8(BatchField.magic) : -1;
  if (version >= FIRST_RECORD_BATCH_VERSION) {
    if (magic !== CURRENT_MAGIC) {
      return reject('request', ErrorCode.INVALID_RECORD, `Produce requests with version ${version} are only allowed to contain record batches with magic version 2`);
    }
    if (version < FIRST_ZSTD_VERSION && compressionOf(records.readInt16BE(BatchField.attributes)) === CompressionType.zstd) {
      return reject('request', ErrorCode.UNSUPPORTED_COMPRESSION_TYPE, `Produce requests with version ${version} are not allowed to use ZStandard compression`);
    }
  } else if (isLegacyMessageSet(records)) {
    return convertLegacyMessageSet(records, target);
  }

  let size: number;
  try {
    size = checkRecordBatch(records, 0, records.length, { checkRecords: false });
  } catch (err) {
    if (!(err instanceof CorruptRecordBatchError)) throw err;
    if (err.problem === 'compression') return reject('request', ErrorCode.UNSUPPORTED_COMPRESSION_TYPE, err.message);
    if (err.problem === 'records') return reject('batch', ErrorCode.INVALID_RECORD, `${err.message} in topic partition ${topicPartition}`);
    return reject('request', ErrorCode.CORRUPT_MESSAGE, err.message);
  }
  if (size !== records.length) {
    return version >= FIRST_RECORD_BATCH_VERSION
      ? reject('request', ErrorCode.INVALID_RECORD, `Produce requests with version ${version} are only allowed to contain exactly one record batch per partition`)
      : reject('batch', ErrorCode.INVALID_RECORD, 'Compressed outer record has more than one batch');
  }
  if (size > config.maxMessageBytes) {
    return reject('request', ErrorCode.MESSAGE_TOO_LARGE, `The record batch size in the append to ${topicPartition} is ${size} bytes which exceeds the maximum configured value of ${config.maxMessageBytes}.`);
  }
  const batchProblem = clientBatchProblem(records, topicPartition);
  if (batchProblem) return reject('batch', ErrorCode.INVALID_RECORD, batchProblem);

  const compressed = compressionOf(records.readInt16BE(BatchField.attributes)) !== CompressionType.none;
  if (!compressed) {
    try {
      checkUncompressedRecords(records, 0, size);
    } catch (err) {
      if (!(err instanceof CorruptRecordBatchError)) throw err;
      return reject('batch', ErrorCode.INVALID_RECORD, `${err.message} in topic partition ${topicPartition}`);
    }
  }
  if (config.cleanupPolicy.compact) {
    let keys: Array<Buffer | null>;
    try {
      keys = (await decodeRecordBatch(records, 0, { verifyCrc: false })).records.map((r) => r.key);
    } catch (err) {
      return reject('batch', ErrorCode.INVALID_RECORD, `cannot decode the batch: ${(err as Error).message} in topic partition ${topicPartition}`);
    }
    const rejection = rejectKeyless(keys, topicPartition);
    if (rejection) return rejection;
  }
  return storedAs(records, target);
}

/** LogValidator.validateBatch for a batch from a client: the header must describe what a producer writes. */
function clientBatchProblem(batch: Buffer, topicPartition: string): string | undefined {
  const baseOffset = readInt64(batch, BatchField.baseOffset);
  if (baseOffset !== 0) return `The baseOffset of the record batch in the append to ${topicPartition} should be 0, but it is ${baseOffset}`;
  const lastOffset = baseOffset + batch.readInt32BE(BatchField.lastOffsetDelta);
  const countFromOffsets = lastOffset - baseOffset + 1;
  if (countFromOffsets <= 0) return `Batch has an invalid offset range: [${baseOffset}, ${lastOffset}] in topic partition ${topicPartition}`;
  const count = batch.readInt32BE(BatchField.recordsCount);
  if (count <= 0) return `Invalid reported count for record batch: ${count} in topic partition ${topicPartition}`;
  if (countFromOffsets !== count) {
    return `Inconsistent batch offset range [${baseOffset}, ${lastOffset}] and count of records ${count} in topic partition ${topicPartition}`;
  }
  if (isControl(batch.readInt16BE(BatchField.attributes))) return `Clients are not allowed to write control records in topic partition ${topicPartition}`;
  const producerId = readInt64(batch, BatchField.producerId);
  const baseSequence = batch.readInt32BE(BatchField.baseSequence);
  if (producerId >= 0 && baseSequence < 0) {
    return `Invalid sequence number ${baseSequence} in record batch with producerId ${producerId} in topic partition ${topicPartition}`;
  }
  return undefined;
}
