import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../../protocols/kafka/error-codes.js';
import { CompressionType } from '../../../../protocols/kafka/records/compression/compression-type.js';
import { buildRecordBatch, decodeRecordBatch } from '../../../../protocols/kafka/records/index.js';
import { compressionOf, isTransactional } from '../../../../protocols/kafka/records/record-batch-header.js';
import { BatchField } from '../../../../protocols/kafka/records/record-batch-layout.js';
import { defaultLogConfig, type LogConfig } from '../../../../servers/kafka/log/log-config.js';
import { checkProducedRecords } from '../../../../servers/kafka/produce-validation.js';
import { inTopicCodec, storedCodecOf } from '../../../../servers/kafka/topic-compression.js';

const topic = (compressionType: string, extra: Partial<LogConfig> = {}): LogConfig => ({ ...defaultLogConfig, compressionType, ...extra });

describe('topic compression.type (the codec the log stores batches in)', () => {
  it('maps every value Apache accepts: producer keeps the codec, uncompressed is none', () => {
    expect(storedCodecOf('producer')).toBeNull();
    expect(storedCodecOf('uncompressed')).toBe(CompressionType.none);
    expect(['gzip', 'snappy', 'lz4', 'zstd'].map(storedCodecOf)).toEqual([1, 2, 3, 4]);
  });

  it('recompresses into each codec, keeping records, timestamps, headers, producer fields and the transactional flag', async () => {
    const messages = [
      { key: 'k1', value: 'v1', timestamp: 1_700_000_000_000, headers: [{ key: 'h', value: Buffer.from('x') }] },
      { key: null, value: 'v2', timestamp: 1_700_000_000_500 },
      { key: 'k3', value: null, timestamp: 1_699_999_999_000 },
    ];
    const sent = await buildRecordBatch(messages, { compression: CompressionType.lz4, producerId: 42, producerEpoch: 3, baseSequence: 17, transactional: true });
    const original = await decodeRecordBatch(sent);
    for (const [name, id] of [['gzip', 1], ['snappy', 2], ['zstd', 4], ['uncompressed', 0]] as const) {
      const stored = await inTopicCodec(sent, topic(name));
      const attributes = stored.readInt16BE(BatchField.attributes);
      expect(compressionOf(attributes)).toBe(id);
      expect(isTransactional(attributes)).toBe(true);
      const decoded = await decodeRecordBatch(stored); // CRC checked
      expect({ ...decoded, attributes: 0, crc: 0, batchLength: 0 }).toEqual({ ...original, attributes: 0, crc: 0, batchLength: 0 });
    }
  });

  it('leaves a batch alone when the topic keeps the producer codec or already uses its codec', async () => {
    const gz = await buildRecordBatch([{ value: 'a' }], { compression: CompressionType.gzip });
    expect(await inTopicCodec(gz, topic('producer'))).toBe(gz);
    expect(await inTopicCodec(gz, topic('gzip'))).toBe(gz);
  });

  it('a produce to a gzip topic stores gzip; grown past max.message.bytes by recompression it is MESSAGE_TOO_LARGE, as UnifiedLog.append says', async () => {
    const batch = await buildRecordBatch([{ value: 'a'.repeat(64) }, { value: 'b' }]);
    const ok = await checkProducedRecords(batch, { version: 9, topicPartition: 't-0', config: topic('gzip') });
    expect(ok.ok && compressionOf(ok.records.readInt16BE(BatchField.attributes))).toBe(CompressionType.gzip);
    expect(ok.ok && ok.size).toBe(ok.ok ? ok.records.length : -1);

    // Random bytes do not compress: gzip's framing makes the batch larger than the limit it fitted.
    const noise = Buffer.from(Array.from({ length: 400 }, (_, i) => (i * 2654435761) >>> 24));
    const incompressible = await buildRecordBatch([{ value: noise }]);
    const r = await checkProducedRecords(incompressible, { version: 9, topicPartition: 't-0', config: topic('gzip', { maxMessageBytes: incompressible.length }) });
    expect(r.ok).toBe(false);
    expect(!r.ok && [r.errorCode, r.stage]).toEqual([ErrorCode.MESSAGE_TOO_LARGE, 'request']);
    expect(!r.ok && r.message).toMatch(/^Message batch size is \d+ bytes in append to partition t-0 which exceeds the maximum configured size of \d+\.$/);
  });

  it('compresses at the topic level for gzip and zstd (compression.<codec>.level, KIP-390)', async () => {
    const text = Array.from({ length: 400 }, (_, i) => `record ${i} of a compressible batch ${i % 7}`).join(' ');
    const batch = await buildRecordBatch([{ value: text }]);
    const size = async (type: string, extra: Partial<LogConfig>) => (await inTopicCodec(batch, topic(type, extra))).length;
    expect(await size('gzip', { compressionGzipLevel: 1 })).toBeGreaterThan(await size('gzip', { compressionGzipLevel: 9 }));
    expect(await size('zstd', { compressionZstdLevel: -50 })).toBeGreaterThan(await size('zstd', { compressionZstdLevel: 19 }));
    for (const [type, extra] of [['gzip', { compressionGzipLevel: 1 }], ['zstd', { compressionZstdLevel: 19 }]] as const) {
      const decoded = await decodeRecordBatch(await inTopicCodec(batch, topic(type, extra)));
      expect(decoded.records[0]!.value!.toString()).toBe(text);
    }
  });
});
