import { KafkaCodecError } from './codec-error.js';

const ZERO_UUID_BYTES = 16;

/**
 * Cursor over one frame's bytes. Every read checks bounds and throws KafkaCodecError
 * rather than Node's RangeError, so a malformed frame becomes a clear protocol error.
 * `bytes()`/`records()` return views into the frame (no copy): keep the frame alive or copy.
 */
export class ByteReader {
  buf: Buffer;
  pos: number;
  readonly end: number;
  /** DataView reads are inlined by V8, unlike Buffer's validated read methods. */
  private readonly view: DataView;

  constructor(buf: Buffer, start = 0, end = buf.length) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number): void {
    if (this.pos + n > this.end) {
      throw new KafkaCodecError(`truncated input: needed ${n} bytes at offset ${this.pos}, only ${this.end - this.pos} left`);
    }
  }

  int8(): number {
    this.need(1);
    const v = this.view.getInt8(this.pos);
    this.pos += 1;
    return v;
  }
  bool(): boolean {
    this.need(1);
    return this.buf[this.pos++] !== 0;
  }
  int16(): number {
    this.need(2);
    const v = this.view.getInt16(this.pos);
    this.pos += 2;
    return v;
  }
  uint16(): number {
    this.need(2);
    const v = this.view.getUint16(this.pos);
    this.pos += 2;
    return v;
  }
  int32(): number {
    this.need(4);
    const v = this.view.getInt32(this.pos);
    this.pos += 4;
    return v;
  }
  uint32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos);
    this.pos += 4;
    return v;
  }
  int64(): bigint {
    this.need(8);
    const v = this.view.getBigInt64(this.pos);
    this.pos += 8;
    return v;
  }
  float64(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos);
    this.pos += 8;
    return v;
  }

  /** Unsigned LEB128 varint, at most 5 bytes (32 bits). */
  uvarint(): number {
    let result = 0;
    let shift = 0;
    for (let i = 0; i < 5; i++) {
      if (this.pos >= this.end) throw new KafkaCodecError(`truncated varint at offset ${this.pos}`);
      const b = this.buf[this.pos++]!;
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result >>> 0;
      shift += 7;
    }
    throw new KafkaCodecError(`varint longer than 5 bytes at offset ${this.pos}`);
  }
  /** Zig-zag signed varint (32 bits). */
  varint(): number {
    const u = this.uvarint();
    return (u >>> 1) ^ -(u & 1);
  }
  /** Zig-zag signed varlong (64 bits). */
  varlong(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new KafkaCodecError(`truncated varlong at offset ${this.pos}`);
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return (result >> 1n) ^ -(result & 1n);
      shift += 7n;
    }
    throw new KafkaCodecError(`varlong longer than 10 bytes at offset ${this.pos}`);
  }

  uuid(): string {
    this.need(ZERO_UUID_BYTES);
    const s = this.buf.toString('base64url', this.pos, this.pos + ZERO_UUID_BYTES);
    this.pos += ZERO_UUID_BYTES;
    return s;
  }

  private utf8(len: number): string {
    this.need(len);
    const s = this.buf.toString('utf8', this.pos, this.pos + len);
    this.pos += len;
    return s;
  }
  private slice(len: number): Buffer {
    this.need(len);
    const b = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return b;
  }

  /** int16-length string; -1 (null) is an error. */
  string(): string {
    const len = this.int16();
    if (len < 0) throw new KafkaCodecError(`null string where the schema forbids null (offset ${this.pos - 2})`);
    return this.utf8(len);
  }
  nullableString(): string | null {
    const len = this.int16();
    return len < 0 ? null : this.utf8(len);
  }
  /** uvarint(length+1) string of flexible versions; 0 (null) is an error. */
  compactString(): string {
    const len = this.uvarint() - 1;
    if (len < 0) throw new KafkaCodecError(`null compact string where the schema forbids null (offset ${this.pos})`);
    return this.utf8(len);
  }
  compactNullableString(): string | null {
    const len = this.uvarint() - 1;
    return len < 0 ? null : this.utf8(len);
  }
  bytes(): Buffer {
    const len = this.int32();
    if (len < 0) throw new KafkaCodecError(`null bytes where the schema forbids null (offset ${this.pos - 4})`);
    return this.slice(len);
  }
  nullableBytes(): Buffer | null {
    const len = this.int32();
    return len < 0 ? null : this.slice(len);
  }
  compactBytes(): Buffer {
    const len = this.uvarint() - 1;
    if (len < 0) throw new KafkaCodecError(`null compact bytes where the schema forbids null (offset ${this.pos})`);
    return this.slice(len);
  }
  compactNullableBytes(): Buffer | null {
    const len = this.uvarint() - 1;
    return len < 0 ? null : this.slice(len);
  }
  /** `n` raw bytes (tagged-field payloads). */
  raw(n: number): Buffer {
    return this.slice(n);
  }

  /**
   * Array element count sanity check: every element takes at least one byte, so a count
   * larger than what is left is a lie (and would make us allocate gigabytes).
   */
  arrayCount(n: number): number {
    if (n > this.end - this.pos) {
      throw new KafkaCodecError(`array of ${n} elements cannot fit in the ${this.end - this.pos} bytes left (offset ${this.pos})`);
    }
    return n;
  }
}
