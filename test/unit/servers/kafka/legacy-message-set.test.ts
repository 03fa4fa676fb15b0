import { crc32, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../../protocols/kafka/error-codes.js';
import { CompressionType } from '../../../../protocols/kafka/records/compression/compression-type.js';
import { compressionOf, decodeRecordBatch } from '../../../../protocols/kafka/records/index.js';
import { defaultLogConfig, type LogConfig } from '../../../../servers/kafka/log/log-config.js';
import { checkProducedRecords } from '../../../../servers/kafka/produce-validation.js';

/**
 * Message format v0/v1 written independently of the broker's parser, from the format
 * description: offset, size, CRC-32 of magic..end, magic, attributes, [timestamp], key, value.
 */
function message(opts: { magic: 0 | 1; key: string | null; value: Buffer | string | null; timestamp?: number; attributes?: number; offset?: number }): Buffer {
  const bytes = (b: Buffer | string | null) => {
    if (b === null) return Buffer.from('ffffffff', 'hex');
    const buf = Buffer.from(b);
    const len = Buffer.alloc(4);
    len.writeInt32BE(buf.length);
    return Buffer.concat([len, buf]);
  };
  const ts = Buffer.alloc(opts.magic === 1 ? 8 : 0);
  if (opts.magic === 1) ts.writeBigInt64BE(BigInt(opts.timestamp ?? 0));
  const body = Buffer.concat([Buffer.from([opts.magic, opts.attributes ?? 0]), ts, bytes(opts.key), bytes(opts.value)]);
  const head = Buffer.alloc(16);
  head.writeBigInt64BE(BigInt(opts.offset ?? 0), 0);
  head.writeInt32BE(body.length + 4, 8);
  head.writeUInt32BE(crc32(body), 12);
  return Buffer.concat([head, body]);
}

const plain: LogConfig = defaultLogConfig;
const compacted: LogConfig = { ...defaultLogConfig, cleanupPolicy: { delete: false, compact: true } };
const check = (records: Buffer, config = plain, version = 2) => checkProducedRecords(records, { version, topicPartition: 't-0', config });

async function convertedRecords(records: Buffer) {
  const r = await check(records);
  if (!r.ok) throw new Error(`refused: ${r.message}`);
  return decodeRecordBatch(r.records);
}

describe('Produce v0-2 message sets (message format v0/v1) converted to record batch v2', () => {
  it('converts v1 messages with their keys, values and create times, offsets from 0', async () => {
    const set = Buffer.concat([
      message({ magic: 1, key: 'k1', value: 'one', timestamp: 1_700_000_000_000 }),
      message({ magic: 1, key: null, value: 'two', timestamp: 1_700_000_000_005, offset: 1 }),
    ]);
    const batch = await convertedRecords(set);
    expect(batch).toMatchObject({ baseOffset: 0, lastOffsetDelta: 1, producerId: -1, baseSequence: -1, baseTimestamp: 1_700_000_000_000, maxTimestamp: 1_700_000_000_005 });
    expect(batch.records.map((r) => [r.offsetDelta, r.key?.toString() ?? null, r.value?.toString(), batch.baseTimestamp + r.timestampDelta])).toEqual([
      [0, 'k1', 'one', 1_700_000_000_000],
      [1, null, 'two', 1_700_000_000_005],
    ]);
  });

  it('converts v0 messages, which have no timestamp (-1)', async () => {
    const batch = await convertedRecords(Buffer.concat([message({ magic: 0, key: 'a', value: 'x' }), message({ magic: 0, key: 'b', value: null, offset: 1 })]));
    expect(batch.maxTimestamp).toBe(-1);
    expect(batch.records.map((r) => [batch.baseTimestamp + r.timestampDelta, r.value?.toString() ?? null])).toEqual([
      [-1, 'x'],
      [-1, null],
    ]);
  });

  it('unwraps a gzip wrapper message into a gzip batch of its inner messages', async () => {
    const inner = Buffer.concat([message({ magic: 1, key: 'a', value: 'g1', timestamp: 10 }), message({ magic: 1, key: 'b', value: 'g2', timestamp: 11, offset: 1 })]);
    const wrapper = message({ magic: 1, key: null, value: gzipSync(inner), timestamp: 11, attributes: CompressionType.gzip, offset: 1 });
    const batch = await convertedRecords(wrapper);
    expect(compressionOf(batch.attributes)).toBe(CompressionType.gzip);
    expect(batch.records.map((r) => r.value?.toString())).toEqual(['g1', 'g2']);
    // Inner messages may not themselves be compressed: refused record by record.
    const nested = message({ magic: 1, key: null, value: gzipSync(message({ magic: 1, key: 'a', value: 'x', attributes: CompressionType.gzip })), attributes: CompressionType.gzip });
    expect(await check(nested)).toMatchObject({ ok: false, errorCode: ErrorCode.INVALID_RECORD, stage: 'records', recordErrors: [{ batchIndex: 0 }] });
  });

  it('refuses a bad CRC or torn message as CORRUPT_MESSAGE and mixed magics as INVALID_RECORD', async () => {
    const good = message({ magic: 1, key: 'k', value: 'v', timestamp: 1 });
    const bad = Buffer.from(good);
    bad[bad.length - 1]! ^= 1;
    expect(await check(bad)).toMatchObject({ ok: false, errorCode: ErrorCode.CORRUPT_MESSAGE, stage: 'request' });
    expect(await check(Buffer.concat([good, good.subarray(0, 20)]))).toMatchObject({ ok: false, errorCode: ErrorCode.CORRUPT_MESSAGE });
    const mixed = Buffer.concat([good, message({ magic: 0, key: 'k', value: 'v', offset: 1 })]);
    const r = await check(mixed);
    expect(!r.ok && [r.errorCode, r.stage, r.message]).toEqual([ErrorCode.INVALID_RECORD, 'batch', "Batch magic 0 is not the same as the first batch's magic byte 1 in topic partition t-0"]);
  });

  it('names keyless messages on a compacted topic; a v3+ request may not carry them at all', async () => {
    const set = Buffer.concat([message({ magic: 1, key: 'k', value: 'a' }), message({ magic: 1, key: null, value: 'b', offset: 1 })]);
    expect(await check(set, compacted)).toMatchObject({ ok: false, errorCode: ErrorCode.INVALID_RECORD, stage: 'records', recordErrors: [{ batchIndex: 1 }] });
    expect(await check(set, plain, 3)).toMatchObject({ ok: false, errorCode: ErrorCode.INVALID_RECORD, stage: 'request' });
  });
});
