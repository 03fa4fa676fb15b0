import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  Attribute,
  BatchField,
  CompressionType,
  ControlRecordType,
  CorruptRecordBatchError,
  type ProducerMessage,
  buildControlBatch,
  buildRecordBatch,
  checkRecordBatch,
  crc32c,
  decodeRecordBatch,
  decodeRecordSet,
  readEndTransactionMarker,
  readRecordBatchHeader,
  recordSetSpans,
  stampBatch,
} from '../../../../../protocols/kafka/records/index.js';

const codecs = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;

function messages(n: number): ProducerMessage[] {
  return Array.from({ length: n }, (_, i) => ({
    key: i % 7 === 0 ? null : `key-${i}`,
    value: i % 11 === 5 ? null : `value-${i}-`.repeat(i % 13),
    headers: i % 3 === 0 ? [] : [{ key: 'trace', value: `t${i}` }, { key: 'ünïcode', value: null }],
    timestamp: 1_700_000_000_000 + ((i * 37) % 101),
  }));
}

function problemOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof CorruptRecordBatchError) return err.problem;
    throw err;
  }
  return undefined;
}

describe('record batch v2', () => {
  it('has the known CRC-32C check value', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  for (const codec of codecs) {
    it(`round-trips 200 records with ${codec}`, async () => {
      const input = messages(200);
      const buf = await buildRecordBatch(input, {
        compression: CompressionType[codec],
        producerId: 4242,
        producerEpoch: 3,
        baseSequence: 17,
        baseOffset: 1000,
      });
      expect(checkRecordBatch(buf, 0)).toBe(buf.length);
      const batch = await decodeRecordBatch(buf);
      expect(batch.magic).toBe(2);
      expect(batch.attributes & Attribute.compressionMask).toBe(CompressionType[codec]);
      expect(batch.baseOffset).toBe(1000);
      expect(batch.lastOffsetDelta).toBe(199);
      expect(batch.recordsCount).toBe(200);
      expect(batch.producerId).toBe(4242);
      expect(batch.producerEpoch).toBe(3);
      expect(batch.baseSequence).toBe(17);
      expect(batch.baseTimestamp).toBe(input[0]!.timestamp);
      expect(batch.maxTimestamp).toBe(Math.max(...input.map((m) => m.timestamp!)));
      batch.records.forEach((r, i) => {
        const m = input[i]!;
        expect(r.offsetDelta).toBe(i);
        expect(batch.baseTimestamp + r.timestampDelta).toBe(m.timestamp);
        expect(r.key === null ? null : r.key.toString()).toBe(m.key);
        expect(r.value === null ? null : r.value.toString()).toBe(m.value);
        expect(r.headers.map((h) => [h.key, h.value?.toString() ?? null])).toEqual(
          (m.headers ?? []).map((h) => [h.key, h.value as string | null]),
        );
      });
    });
  }

  it('stamps offsets and leader epoch without touching the CRC, LogAppendTime with a new CRC', async () => {
    const buf = await buildRecordBatch(messages(10), { compression: CompressionType.lz4 });
    const crcBefore = buf.readUInt32BE(BatchField.crc);
    stampBatch(buf, 0, buf.length, 123_456_789_012, 7);
    expect(buf.readUInt32BE(BatchField.crc)).toBe(crcBefore);
    expect(checkRecordBatch(buf, 0)).toBe(buf.length);
    let h = readRecordBatchHeader(buf);
    expect(h.baseOffset).toBe(123_456_789_012);
    expect(h.partitionLeaderEpoch).toBe(7);

    stampBatch(buf, 0, buf.length, 5, 8, 1_800_000_000_000);
    expect(checkRecordBatch(buf, 0)).toBe(buf.length);
    h = readRecordBatchHeader(buf);
    expect(h.attributes & Attribute.logAppendTime).toBe(Attribute.logAppendTime);
    expect(h.maxTimestamp).toBe(1_800_000_000_000);
    const decoded = await decodeRecordBatch(buf);
    expect(decoded.records).toHaveLength(10);
  });

  it('builds and reads control batches with an end-transaction marker', async () => {
    const buf = await buildControlBatch({ type: ControlRecordType.commit, coordinatorEpoch: 9 }, { producerId: 77, producerEpoch: 2, timestamp: 1 });
    const batch = await decodeRecordBatch(buf);
    expect(batch.attributes & (Attribute.control | Attribute.transactional)).toBe(Attribute.control | Attribute.transactional);
    expect(batch.lastOffsetDelta).toBe(0);
    expect(readEndTransactionMarker(batch.records[0]!)).toEqual({ type: ControlRecordType.commit, coordinatorEpoch: 9 });
  });

  it('names what is wrong with a damaged batch', async () => {
    const good = await buildRecordBatch(messages(5));
    const flip = Buffer.from(good);
    flip[flip.length - 3]! ^= 0xff;
    expect(problemOf(() => checkRecordBatch(flip, 0))).toBe('crc');
    await expect(decodeRecordBatch(flip)).rejects.toThrow(/CRC/);

    const magic = Buffer.from(good);
    magic.writeInt8(1, BatchField.magic);
    expect(problemOf(() => checkRecordBatch(magic, 0))).toBe('magic');

    expect(problemOf(() => checkRecordBatch(good.subarray(0, good.length - 1), 0))).toBe('truncated');
    expect(problemOf(() => checkRecordBatch(good.subarray(0, 30), 0))).toBe('truncated');

    const shortLength = Buffer.from(good);
    shortLength.writeInt32BE(10, BatchField.batchLength);
    expect(problemOf(() => checkRecordBatch(shortLength, 0))).toBe('length');

    // A record count that disagrees with the bytes, CRC made valid again: a structural lie.
    const lie = Buffer.from(good);
    lie.writeInt32BE(6, BatchField.recordsCount);
    lie.writeUInt32BE(crc32c(lie.subarray(BatchField.attributes)), BatchField.crc);
    expect(problemOf(() => checkRecordBatch(lie, 0))).toBe('records');
    await expect(decodeRecordBatch(lie)).rejects.toThrow();

    const codec = Buffer.from(good);
    codec.writeInt16BE(6, BatchField.attributes);
    codec.writeUInt32BE(crc32c(codec.subarray(BatchField.attributes)), BatchField.crc);
    expect(problemOf(() => checkRecordBatch(codec, 0))).toBe('compression');
  });

  it('splits a record set and stops at a partial trailing batch', async () => {
    const a = await buildRecordBatch(messages(3), { baseOffset: 0 });
    const b = await buildRecordBatch(messages(4), { baseOffset: 3, compression: CompressionType.gzip });
    const set = Buffer.concat([a, b, b.subarray(0, 20)]);
    expect(recordSetSpans(set)).toEqual([
      [0, a.length],
      [a.length, b.length],
    ]);
    const batches = await decodeRecordSet(set);
    expect(batches.map((x) => x.baseOffset)).toEqual([0, 3]);
  });
});

describe('interop with real clients\' encoders', () => {
  const require = createRequire(import.meta.url);

  it('decodes batches built by kafkajs, and kafkajs decodes ours', async () => {
    const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js');
    const Record = require('kafkajs/src/protocol/recordBatch/record/v0/index.js');
    const RecordBatchDecoder = require('kafkajs/src/protocol/recordBatch/v0/decoder.js');
    const Decoder = require('kafkajs/src/protocol/decoder.js');
    const records = [0, 1, 2].map((i) =>
      Record({ offsetDelta: i, timestampDelta: i, key: Buffer.from(`k${i}`), value: Buffer.from(`v${i}`), headers: { h: `x${i}` } }),
    );
    for (const compression of [0, 1]) {
      const encoded = await RecordBatch({ compression, records, firstTimestamp: 1000, maxTimestamp: 1002, lastOffsetDelta: 2 });
      const batch = await decodeRecordBatch(encoded.buffer);
      expect(batch.records.map((r) => [r.key?.toString(), r.value?.toString(), r.headers[0]?.value?.toString()])).toEqual([
        ['k0', 'v0', 'x0'],
        ['k1', 'v1', 'x1'],
        ['k2', 'v2', 'x2'],
      ]);
    }
    const ours = await buildRecordBatch(messages(5), { compression: CompressionType.gzip, baseOffset: 40 });
    const theirs = await RecordBatchDecoder(new Decoder(ours));
    expect(theirs.records.map((r: { offset: string; key: Buffer | null }) => [r.offset, r.key?.toString() ?? null])).toEqual(
      messages(5).map((m, i) => [String(40 + i), m.key]),
    );
  });

  const python = '/usr/bin/python3';
  const script = fileURLToPath(new URL('./fixtures/kafka-python-batches.py', import.meta.url));
  const hasKafkaPython = existsSync(python) && (() => {
    try {
      execFileSync(python, ['-c', 'import kafka'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  it.skipIf(!hasKafkaPython)('decodes batches built by kafka-python with every codec (install python3-kafka, python3-snappy, python3-lz4, python3-zstandard)', async () => {
    const lines = execFileSync(python, [script], { encoding: 'utf8' }).trim().split('\n').map((l) => JSON.parse(l) as { codec: string; hex?: string; skipped?: boolean });
    const skipped = lines.filter((l) => l.skipped).map((l) => l.codec);
    expect(skipped, `kafka-python lacks codecs ${skipped.join(', ')}: install python3-snappy python3-lz4 python3-zstandard`).toEqual([]);
    for (const line of lines) {
      const buf = Buffer.from(line.hex!, 'hex');
      expect(checkRecordBatch(buf, 0)).toBe(buf.length);
      const batch = await decodeRecordBatch(buf);
      expect(batch.attributes & Attribute.compressionMask).toBe(CompressionType[line.codec as keyof typeof CompressionType]);
      expect(batch.records).toHaveLength(50);
      const r7 = batch.records[7]!;
      expect(r7.key?.toString()).toBe('key-7');
      expect(r7.value?.toString()).toBe('value-7-'.repeat(20));
      expect(r7.headers.map((h) => [h.key, h.value?.toString() ?? null])).toEqual([['h', '7'], ['null-header', null]]);
      expect(batch.records[0]!.key).toBeNull();
      expect(batch.baseTimestamp + batch.records[49]!.timestampDelta).toBe(1_700_000_000_049);
    }
  });
});
