import { describe, expect, it } from 'vitest';
import { CompressionType } from '../../../../protocols/kafka/records/compression/compression-type.js';
import { crc32c } from '../../../../protocols/kafka/records/crc32c.js';
import { BatchField, CRC_START, buildRecordBatch } from '../../../../protocols/kafka/records/index.js';
import { ErrorCode } from '../../../../protocols/kafka/error-codes.js';
import { defaultLogConfig, type LogConfig } from '../../../../servers/kafka/log/log-config.js';
import { checkProducedRecords } from '../../../../servers/kafka/produce-validation.js';

const plain: LogConfig = defaultLogConfig;
const compacted: LogConfig = { ...defaultLogConfig, cleanupPolicy: { ...defaultLogConfig.cleanupPolicy, compact: true, delete: false } };

function check(records: Buffer | null, opts: { version?: number; config?: LogConfig } = {}) {
  return checkProducedRecords(records, { version: opts.version ?? 9, topicPartition: 't-0', config: opts.config ?? plain });
}

/** Rewrites an int32 header field and re-seals the CRC, so only the field is wrong. */
function withInt32(batch: Buffer, field: number, value: number): Buffer {
  const out = Buffer.from(batch);
  out.writeInt32BE(value, field);
  out.writeUInt32BE(crc32c(out.subarray(CRC_START)), BatchField.crc);
  return out;
}

describe('checkProducedRecords (Apache 3.9 produce validation)', () => {
  it('accepts a producer batch as it is, at v2 (message format v2 in an old request) as at v9', async () => {
    const batch = await buildRecordBatch([{ key: 'k', value: 'a' }, { value: 'b' }]);
    for (const version of [2, 9]) {
      const r = await check(batch, { version });
      expect(r).toEqual({ ok: true, records: batch, size: batch.length });
    }
  });

  it('refuses a record count that does not match the offset range with INVALID_RECORD at the batch stage', async () => {
    const batch = await buildRecordBatch([{ value: 'a' }, { value: 'b' }]);
    const r = await check(withInt32(batch, BatchField.recordsCount, 3));
    expect(r).toMatchObject({ ok: false, errorCode: ErrorCode.INVALID_RECORD, stage: 'batch', recordErrors: [] });
    expect(!r.ok && r.message).toBe('Inconsistent batch offset range [0, 1] and count of records 3 in topic partition t-0');
    // Offset deltas 0 and 5 in a two-record batch: the last offset delta says six records.
    const gapped = withInt32(batch, BatchField.lastOffsetDelta, 5);
    expect(await check(gapped)).toMatchObject({ ok: false, errorCode: ErrorCode.INVALID_RECORD, stage: 'batch' });
  });

  it('refuses what only a broker may write: a base offset, control batches, a producer id without sequence', async () => {
    const batch = await buildRecordBatch([{ value: 'a' }]);
    const based = Buffer.from(batch);
    based.writeBigInt64BE(7n, BatchField.baseOffset);
    const r = await check(based);
    expect(!r.ok && [r.errorCode, r.message]).toEqual([ErrorCode.INVALID_RECORD, 'The baseOffset of the record batch in the append to t-0 should be 0, but it is 7']);
    const control = Buffer.from(batch);
    control.writeInt16BE(0x20, BatchField.attributes);
    control.writeUInt32BE(crc32c(control.subarray(CRC_START)), BatchField.crc);
    expect(await check(control)).toMatchObject({ ok: false, errorCode: ErrorCode.INVALID_RECORD, stage: 'batch' });
    const noSequence = await buildRecordBatch([{ value: 'a' }], { producerId: 5, producerEpoch: 0, baseSequence: -1 });
    expect(await check(noSequence)).toMatchObject({ ok: false, errorCode: ErrorCode.INVALID_RECORD, stage: 'batch' });
  });

  it('names each keyless record of a compacted topic in recordErrors, with Apache summary as the message', async () => {
    const batch = await buildRecordBatch([{ key: 'k', value: 'a' }, { key: null, value: 'b' }, { value: 'c' }]);
    const r = await check(batch, { config: compacted });
    const perRecord = 'Compacted topic cannot accept message without key in topic partition t-0';
    expect(r).toEqual({
      ok: false,
      errorCode: ErrorCode.INVALID_RECORD,
      stage: 'records',
      recordErrors: [
        { batchIndex: 1, batchIndexErrorMessage: perRecord },
        { batchIndex: 2, batchIndexErrorMessage: perRecord },
      ],
      message:
        'One or more records have been rejected due to 2 record errors in total, and only showing the first three errors at most: ' +
        `[RecordError(batchIndex=1, message='${perRecord}'), RecordError(batchIndex=2, message='${perRecord}')]`,
    });
    expect(await check(batch)).toMatchObject({ ok: true });
    // Compressed batches are decompressed to find the keys.
    const gzip = await buildRecordBatch([{ value: 'a' }], { compression: CompressionType.gzip });
    expect(await check(gzip, { config: compacted })).toMatchObject({ ok: false, stage: 'records', recordErrors: [{ batchIndex: 0 }] });
  });

  it('answers damage and request-level refusals before the log (no log start offset)', async () => {
    const batch = await buildRecordBatch([{ value: 'a' }, { value: 'b' }]);
    const badCrc = Buffer.from(batch);
    badCrc[badCrc.length - 1]! ^= 1;
    expect(await check(badCrc)).toMatchObject({ ok: false, errorCode: ErrorCode.CORRUPT_MESSAGE, stage: 'request' });
    const magic1 = Buffer.from(batch);
    magic1.writeInt8(1, BatchField.magic);
    expect(await check(magic1, { version: 3 })).toMatchObject({ ok: false, errorCode: ErrorCode.INVALID_RECORD, stage: 'request' });
    expect(await check(Buffer.concat([batch, batch]))).toMatchObject({ ok: false, errorCode: ErrorCode.INVALID_RECORD, stage: 'request' });
    expect(await check(null)).toMatchObject({ ok: false, errorCode: ErrorCode.INVALID_RECORD, stage: 'request' });
    expect(await check(batch, { config: { ...plain, maxMessageBytes: 50 } })).toMatchObject({ ok: false, errorCode: ErrorCode.MESSAGE_TOO_LARGE, stage: 'request' });
    const zstd = await buildRecordBatch([{ value: 'a' }], { compression: CompressionType.zstd });
    expect(await check(zstd, { version: 6 })).toMatchObject({ ok: false, errorCode: ErrorCode.UNSUPPORTED_COMPRESSION_TYPE, stage: 'request' });
    expect(await check(zstd, { version: 7 })).toMatchObject({ ok: true });
  });

  it('refuses uncompressed records that do not fill the batch with INVALID_RECORD', async () => {
    const batch = await buildRecordBatch([{ value: 'a' }, { value: 'b' }]);
    // Both the count and the offset range claim three records; only two are there.
    const short = withInt32(withInt32(batch, BatchField.recordsCount, 3), BatchField.lastOffsetDelta, 2);
    expect(await check(short)).toMatchObject({ ok: false, errorCode: ErrorCode.INVALID_RECORD, stage: 'batch' });
  });
});
