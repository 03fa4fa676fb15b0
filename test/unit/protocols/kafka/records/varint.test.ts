import { describe, expect, it } from 'vitest';
import {
  readInt64,
  readVarint,
  readVarlong,
  sizeOfVarint,
  sizeOfVarlong,
  writeInt64,
  writeVarint,
  writeVarlong,
} from '../../../../../protocols/kafka/records/varint.js';

function cursor(buf: Buffer) {
  return { buf, pos: 0, end: buf.length };
}

describe('zig-zag varints', () => {
  it('encodes the protobuf reference values', () => {
    // zig-zag: 0→0, -1→1, 1→2, -2→3, 63→126, -64→127, 64→128 (two bytes)
    const cases: Array<[number, string]> = [
      [0, '00'],
      [-1, '01'],
      [1, '02'],
      [-2, '03'],
      [63, '7e'],
      [-64, '7f'],
      [64, '8001'],
      [2147483647, 'feffffff0f'],
      [-2147483648, 'ffffffff0f'],
    ];
    for (const [value, hex] of cases) {
      const buf = Buffer.alloc(5);
      const end = writeVarint(buf, 0, value);
      expect(buf.subarray(0, end).toString('hex')).toBe(hex);
      expect(sizeOfVarint(value)).toBe(end);
      expect(readVarint(cursor(buf.subarray(0, end)))).toBe(value);
    }
  });

  it('round-trips varlongs up to 2^53', () => {
    const values = [0, 1, -1, 300, -300, 2 ** 31, -(2 ** 31) - 1, 1_700_000_000_000, -1_700_000_000_000, 2 ** 52 - 1, -(2 ** 52)];
    for (const v of values) {
      const buf = Buffer.alloc(10);
      const end = writeVarlong(buf, 0, v);
      expect(sizeOfVarlong(v)).toBe(end);
      expect(readVarlong(cursor(buf.subarray(0, end)))).toBe(v);
    }
  });

  it('matches the byte encoding of 64-bit zig-zag for large values', () => {
    const buf = Buffer.alloc(10);
    const end = writeVarlong(buf, 0, 1_700_000_000_000);
    // 1.7e12 * 2 = 3.4e12 in base-128 little-endian groups
    let n = 3_400_000_000_000n;
    const expected: number[] = [];
    while (n >= 128n) {
      expected.push(Number(n & 127n) | 0x80);
      n >>= 7n;
    }
    expected.push(Number(n));
    expect([...buf.subarray(0, end)]).toEqual(expected);
  });

  it('rejects truncated and overlong varints', () => {
    expect(() => readVarint(cursor(Buffer.from([0x80])))).toThrow(/truncated/);
    expect(() => readVarint(cursor(Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x01])))).toThrow(/longer than 5/);
    expect(() => readVarlong(cursor(Buffer.alloc(11, 0x80)))).toThrow(/longer than 10/);
  });

  it('reads and writes int64 as numbers', () => {
    const buf = Buffer.alloc(8);
    for (const v of [0, -1, 1, 2 ** 40 + 5, -(2 ** 40) - 5, 1_700_000_000_123]) {
      writeInt64(buf, 0, v);
      expect(buf.readBigInt64BE(0)).toBe(BigInt(v));
      expect(readInt64(buf, 0)).toBe(v);
    }
  });
});
