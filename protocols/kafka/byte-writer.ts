import { KafkaCodecError } from './codec-error.js';

/** Byte strings at least this long are referenced, not copied, into the output (see `external`). */
const EXTERNAL_THRESHOLD = 4096;
const MAX_INT16 = 0x7fff;

/**
 * Append-only encoder output. Small values go into a growable scratch buffer; large
 * byte strings (record batches) are kept by reference as separate chunks so a producer
 * or a fetch response never copies its payload: `toChunks()` feeds `socket.cork()/write`
 * or writev directly, `toBuffer()` concatenates only when asked.
 */
export class ByteWriter {
  private buf: Buffer;
  /** DataView writes are inlined by V8, unlike Buffer's validated write methods. */
  private view: DataView;
  private pos = 0;
  /** Start of the part of `buf` not yet moved to `chunks`. */
  private segStart = 0;
  private readonly chunks: Buffer[] = [];
  private flushedBytes = 0;

  constructor(initialSize = 256) {
    this.buf = Buffer.allocUnsafe(initialSize);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.flushedBytes + (this.pos - this.segStart);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flushSegment();
    this.buf = Buffer.allocUnsafe(Math.max(n, this.buf.length * 2));
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    this.pos = 0;
    this.segStart = 0;
  }

  private flushSegment(): void {
    if (this.pos > this.segStart) {
      const seg = this.buf.subarray(this.segStart, this.pos);
      this.chunks.push(seg);
      this.flushedBytes += seg.length;
      this.segStart = this.pos;
    }
  }

  /** Reserve 4 bytes for a big-endian int32 filled in later with `patchInt32`. */
  reserveInt32(): { buf: Buffer; offset: number } {
    this.ensure(4);
    const handle = { buf: this.buf, offset: this.pos };
    this.pos += 4;
    return handle;
  }
  static patchInt32(handle: { buf: Buffer; offset: number }, value: number): void {
    handle.buf.writeInt32BE(value, handle.offset);
  }

  int8(v: number): void {
    this.ensure(1);
    this.view.setInt8(this.pos, v);
    this.pos += 1;
  }
  bool(v: boolean): void {
    this.ensure(1);
    this.buf[this.pos++] = v ? 1 : 0;
  }
  int16(v: number): void {
    this.ensure(2);
    this.view.setInt16(this.pos, v);
    this.pos += 2;
  }
  uint16(v: number): void {
    this.ensure(2);
    this.view.setUint16(this.pos, v);
    this.pos += 2;
  }
  int32(v: number): void {
    this.ensure(4);
    this.view.setInt32(this.pos, v);
    this.pos += 4;
  }
  uint32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, v);
    this.pos += 4;
  }
  int64(v: bigint): void {
    this.ensure(8);
    this.view.setBigInt64(this.pos, v);
    this.pos += 8;
  }
  float64(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, v);
    this.pos += 8;
  }
  uvarint(v: number): void {
    this.ensure(5);
    let u = v >>> 0;
    while (u >= 0x80) {
      this.buf[this.pos++] = (u & 0x7f) | 0x80;
      u >>>= 7;
    }
    this.buf[this.pos++] = u;
  }
  varint(v: number): void {
    this.uvarint((v << 1) ^ (v >> 31));
  }
  varlong(v: bigint): void {
    this.ensure(10);
    let u = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
    while (u >= 0x80n) {
      this.buf[this.pos++] = Number(u & 0x7fn) | 0x80;
      u >>= 7n;
    }
    this.buf[this.pos++] = Number(u);
  }

  uuid(v: string): void {
    this.ensure(16);
    const n = this.buf.write(v, this.pos, 16, 'base64url');
    if (n !== 16 || v.length !== 22) throw new KafkaCodecError(`invalid UUID ${JSON.stringify(v)}: expected 22 base64url characters (16 bytes)`);
    this.pos += 16;
  }

  string(v: string): void {
    // Worst case 3 bytes per UTF-16 unit; write, then backfill the int16 length.
    this.ensure(2 + v.length * 3);
    const len = this.buf.write(v, this.pos + 2, 'utf8');
    if (len > MAX_INT16) throw new KafkaCodecError(`string of ${len} bytes exceeds the int16 length limit`);
    this.buf.writeInt16BE(len, this.pos);
    this.pos += 2 + len;
  }
  nullableString(v: string | null): void {
    if (v === null) this.int16(-1);
    else this.string(v);
  }
  compactString(v: string): void {
    if (v.length <= 42) {
      // At most 126 bytes, so length+1 fits a one-byte varint.
      this.ensure(1 + v.length * 3);
      const len = this.buf.write(v, this.pos + 1, 'utf8');
      this.buf[this.pos] = len + 1;
      this.pos += 1 + len;
      return;
    }
    const len = Buffer.byteLength(v, 'utf8');
    this.uvarint(len + 1);
    this.ensure(len);
    this.buf.write(v, this.pos, 'utf8');
    this.pos += len;
  }
  compactNullableString(v: string | null): void {
    if (v === null) this.uvarint(0);
    else this.compactString(v);
  }

  /** Raw bytes without a length prefix. */
  raw(v: Uint8Array): void {
    if (v.length >= EXTERNAL_THRESHOLD) {
      this.external(v);
      return;
    }
    this.ensure(v.length);
    this.buf.set(v, this.pos);
    this.pos += v.length;
  }
  /** Reference `v` as its own output chunk (zero copy); `v` must not change until sent. */
  private external(v: Uint8Array): void {
    this.flushSegment();
    const b = Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.length);
    this.chunks.push(b);
    this.flushedBytes += b.length;
  }
  bytes(v: Uint8Array): void {
    this.int32(v.length);
    this.raw(v);
  }
  nullableBytes(v: Uint8Array | null): void {
    if (v === null) this.int32(-1);
    else this.bytes(v);
  }
  compactBytes(v: Uint8Array): void {
    this.uvarint(v.length + 1);
    this.raw(v);
  }
  compactNullableBytes(v: Uint8Array | null): void {
    if (v === null) this.uvarint(0);
    else this.compactBytes(v);
  }

  /** The output as chunks, for `socket.write` of each (or writev); no copy. */
  toChunks(): Buffer[] {
    this.flushSegment();
    return this.chunks.slice();
  }
  /** The output as one buffer (copies only when there is more than one chunk). */
  toBuffer(): Buffer {
    this.flushSegment();
    if (this.chunks.length === 1) return this.chunks[0]!;
    return Buffer.concat(this.chunks, this.flushedBytes);
  }
}
