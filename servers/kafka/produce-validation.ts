import { ErrorCode } from '../../protocols/kafka/error-codes.js';
import { CorruptRecordBatchError } from '../../protocols/kafka/records/corrupt-record-batch-error.js';
import { decodeRecordBatch } from '../../protocols/kafka/records/record-batch.js';
import { checkRecordBatch } from '../../protocols/kafka/records/record-batch-check.js';
import { BatchField, CURRENT_MAGIC } from '../../protocols/kafka/records/record-batch-layout.js';
import { isControl } from '../../protocols/kafka/records/record-batch-header.js';
import type { LogConfig } from './log/log-config.js';

export type ProduceCheck = { ok: true; size: number } | { ok: false; errorCode: number; message: string };

function fail(errorCode: number, message: string): ProduceCheck {
  return { ok: false, errorCode, message };
}

/**
 * What the leader checks before appending a partition's records (Apache's
 * ProduceRequest.validateRecords and LogValidator, for magic 2): exactly one batch, intact
 * (framing, CRC-32C, record structure when uncompressed), within max.message.bytes, not a
 * control batch, and — for compacted topics — every record keyed, which needs the records
 * decoded (decompressed). Compressed batches of other topics are not decompressed.
 */
export async function checkProducedRecords(records: Buffer | null, config: LogConfig): Promise<ProduceCheck> {
  if (records === null || records.length === 0) return fail(ErrorCode.INVALID_RECORD, 'Produce request has no record batch for this partition');
  if (records.length > BatchField.magic && records.readInt8(BatchField.magic) < CURRENT_MAGIC) {
    return fail(ErrorCode.INVALID_RECORD, 'Produce requests with version 3+ only accept record batches with magic 2');
  }
  let size: number;
  try {
    size = checkRecordBatch(records, 0);
  } catch (err) {
    if (err instanceof CorruptRecordBatchError) {
      const code = err.problem === 'compression' ? ErrorCode.UNSUPPORTED_COMPRESSION_TYPE : ErrorCode.CORRUPT_MESSAGE;
      return fail(code, err.message);
    }
    throw err;
  }
  if (size !== records.length) return fail(ErrorCode.INVALID_RECORD, 'Produce requests with version 3+ must carry exactly one record batch per partition');
  if (size > config.maxMessageBytes) {
    return fail(ErrorCode.MESSAGE_TOO_LARGE, `record batch of ${size} bytes exceeds max.message.bytes (${config.maxMessageBytes})`);
  }
  if (isControl(records.readInt16BE(BatchField.attributes))) return fail(ErrorCode.INVALID_RECORD, 'clients may not produce control batches');
  if (config.cleanupPolicy.compact) {
    try {
      const batch = await decodeRecordBatch(records, 0, { verifyCrc: false });
      if (batch.records.some((r) => r.key === null)) return fail(ErrorCode.INVALID_RECORD, 'Compacted topic cannot accept message without key');
    } catch (err) {
      return fail(ErrorCode.CORRUPT_MESSAGE, `cannot decode the batch: ${(err as Error).message}`);
    }
  }
  return { ok: true, size };
}
