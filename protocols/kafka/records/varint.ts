import { KafkaCodecError } from '../codec-error.js';

/**
 * Zig-zag varints as record batch v2 uses them (protobuf encoding), on plain JS numbers.
 * Varlongs carry timestamps deltas and are exact up to 2^53, which covers every real
 * timestamp and offset; BigInt would cost an allocation per field on the hot path.
 */

/** A read position inside a buffer, advanced by the readers below. */
export interface Cursor {
  buf: Buffer;
  pos: number;
  /** One past the last readable byte. */
  end: number;
}

const TWO_POW_32 = 0x1_0000_0000;

export function readVarint(c: Cursor): number {
  let result = 0;
  let shift = 0;
  for (let i = 0; i < 5; i++) {
    if (c.pos >= c.end) throw new KafkaCodecError(`truncated varint at offset ${c.pos}`);
    const b = c.buf[c.pos++]!;
    result |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) return (result >>> 1) ^ -(result & 1);
    shift += 7;
  }
  throw new KafkaCodecError(`varint longer than 5 bytes at offset ${c.pos}`);
}

export function readVarlong(c: Cursor): number {
  // Accumulate the unsigned value with multiplications: bit operations would cut it to 32 bits.
  let result = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (c.pos >= c.end) throw new KafkaCodecError(`truncated varlong at offset ${c.pos}`);
    const b = c.buf[c.pos++]!;
    result += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) {
      // Zig-zag decode: even → n/2, odd → -(n+1)/2.
      return result % 2 === 0 ? result / 2 : -(result + 1) / 2;
    }
    scale *= 128;
  }
  throw new KafkaCodecError(`varlong longer than 10 bytes at offset ${c.pos}`);
}

export function sizeOfVarint(value: number): number {
  let u = ((value << 1) ^ (value >> 31)) >>> 0;
  let n = 1;
  while (u >= 0x80) {
    u >>>= 7;
    n++;
  }
  return n;
}

export function sizeOfVarlong(value: number): number {
  let u = value >= 0 ? value * 2 : -value * 2 - 1;
  let n = 1;
  while (u >= 128) {
    u = Math.floor(u / 128);
    n++;
  }
  return n;
}

/** Writes `value` at `pos`; returns the position after it. The caller sized `buf`. */
export function writeVarint(buf: Buffer, pos: number, value: number): number {
  let u = ((value << 1) ^ (value >> 31)) >>> 0;
  while (u >= 0x80) {
    buf[pos++] = (u & 0x7f) | 0x80;
    u >>>= 7;
  }
  buf[pos++] = u;
  return pos;
}

export function writeVarlong(buf: Buffer, pos: number, value: number): number {
  let u = value >= 0 ? value * 2 : -value * 2 - 1;
  while (u >= 128) {
    buf[pos++] = (u % 128) | 0x80;
    u = Math.floor(u / 128);
  }
  buf[pos++] = u;
  return pos;
}

/** Big-endian int64 as a number (exact up to 2^53; offsets, timestamps, producer ids). */
export function readInt64(buf: Buffer, pos: number): number {
  return buf.readInt32BE(pos) * TWO_POW_32 + buf.readUInt32BE(pos + 4);
}

export function writeInt64(buf: Buffer, pos: number, value: number): void {
  const hi = Math.floor(value / TWO_POW_32);
  buf.writeInt32BE(hi, pos);
  buf.writeUInt32BE(value - hi * TWO_POW_32, pos + 4);
}
