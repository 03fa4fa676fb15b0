import { describe, expect, it } from 'vitest';
import { ByteReader } from '../../../../protocols/kafka/byte-reader.js';
import { ByteWriter } from '../../../../protocols/kafka/byte-writer.js';
import { KafkaCodecError } from '../../../../protocols/kafka/codec-error.js';

const roundTrip = (write: (w: ByteWriter) => void, read: (r: ByteReader) => unknown) => {
  const w = new ByteWriter(4);
  write(w);
  const buf = w.toBuffer();
  const r = new ByteReader(buf);
  const v = read(r);
  expect(r.remaining).toBe(0);
  return { v, buf };
};

describe('ByteWriter / ByteReader primitives', () => {
  it('zig-zag varints and varlongs at their edges', () => {
    for (const n of [0, -1, 1, 63, -64, 64, 0x7fffffff, -0x80000000]) {
      expect(roundTrip((w) => w.varint(n), (r) => r.varint()).v).toBe(n);
    }
    for (const n of [0n, -1n, 1n, 2n ** 63n - 1n, -(2n ** 63n), 300n]) {
      expect(roundTrip((w) => w.varlong(n), (r) => r.varlong()).v).toBe(n);
    }
    expect(roundTrip((w) => w.varint(-1), (r) => r.varint()).buf.toString('hex')).toBe('01');
    expect(roundTrip((w) => w.uvarint(300), (r) => r.uvarint()).buf.toString('hex')).toBe('ac02');
  });

  it('fixed-width integers, floats, booleans and UUIDs', () => {
    expect(roundTrip((w) => w.int64(-(2n ** 63n)), (r) => r.int64()).v).toBe(-(2n ** 63n));
    expect(roundTrip((w) => w.uint32(0xffffffff), (r) => r.uint32()).v).toBe(0xffffffff);
    expect(roundTrip((w) => w.uint16(65535), (r) => r.uint16()).v).toBe(65535);
    expect(roundTrip((w) => w.float64(-2.5), (r) => r.float64()).v).toBe(-2.5);
    expect(roundTrip((w) => w.bool(true), (r) => r.bool()).v).toBe(true);
    const id = Buffer.from('00112233445566778899aabbccddeeff', 'hex').toString('base64url');
    expect(roundTrip((w) => w.uuid(id), (r) => r.uuid()).buf.toString('hex')).toBe('00112233445566778899aabbccddeeff');
  });

  it('grows across many small writes and keeps large byte strings as their own chunks', () => {
    const w = new ByteWriter(2);
    for (let i = 0; i < 1000; i++) w.int32(i);
    const big = Buffer.alloc(10_000, 7);
    w.bytes(big);
    w.int16(-2);
    expect(w.toChunks()).toContain(big);
    const r = new ByteReader(w.toBuffer());
    for (let i = 0; i < 1000; i++) expect(r.int32()).toBe(i);
    expect(r.bytes().equals(big)).toBe(true);
    expect(r.int16()).toBe(-2);
  });

  it('rejects over-long varints and strings that do not fit an int16 length', () => {
    expect(() => new ByteReader(Buffer.from('ffffffffff01', 'hex')).uvarint()).toThrow(KafkaCodecError);
    expect(() => new ByteReader(Buffer.from('ffffffffffffffffffff01', 'hex')).varlong()).toThrow(/longer than 10 bytes/);
    expect(() => new ByteWriter().string('x'.repeat(40_000))).toThrow(/int16 length limit/);
  });
});
