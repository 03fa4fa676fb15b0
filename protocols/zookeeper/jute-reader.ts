import { CodecError, CodecErrorCode } from './codec-error.js';

/** 2^32, to combine the two halves of a jute long. */
const TWO_POW_32 = 4294967296;
/** A high word within ±2^21 means the long fits a double exactly (|value| < 2^53). */
const SAFE_HIGH_WORD = 0x200000;

export interface JuteReaderOptions {
  /**
   * `buffer` fields come back as views into the frame (no copy) by default. A server that
   * keeps decoded data (a znode's bytes) should copy, or it pins the whole socket chunk
   * the frame arrived in.
   */
  copyBuffers?: boolean;
}

/**
 * Reads jute primitives (BinaryInputArchive: big-endian, length-prefixed strings and
 * buffers, -1 = null) from one frame. Every read is bounds-checked against the frame end,
 * so a malformed frame gives a CodecError, never a RangeError or an over-read into the
 * next frame.
 *
 * The reader is reusable (`reset`) so a hot loop decodes without allocating one per frame.
 */
export class JuteReader {
  buf: Buffer;
  pos: number;
  end: number;
  copyBuffers: boolean;

  constructor(buf: Buffer = Buffer.alloc(0), start = 0, end = buf.length, options: JuteReaderOptions = {}) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
    this.copyBuffers = options.copyBuffers ?? false;
  }

  reset(buf: Buffer, start = 0, end = buf.length): this {
    this.buf = buf;
    this.pos = start;
    this.end = end;
    return this;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number): void {
    if (this.pos + n > this.end) {
      throw new CodecError(
        CodecErrorCode.truncated,
        `frame truncated: need ${n} bytes at offset ${this.pos}, only ${this.end - this.pos} left`,
      );
    }
  }

  int(): number {
    this.need(4);
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 4;
    return (b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!;
  }

  long(): bigint {
    this.need(8);
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 8;
    const hi = (b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!;
    const lo = ((b[p + 4]! << 24) | (b[p + 5]! << 16) | (b[p + 6]! << 8) | b[p + 7]!) >>> 0;
    // One BigInt conversion for the common case (zxids, times, 0); sessions ids take the slow path.
    if (hi < SAFE_HIGH_WORD && hi >= -SAFE_HIGH_WORD) return BigInt(hi * TWO_POW_32 + lo);
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  bool(): boolean {
    this.need(1);
    // Java's readBool is `readByte() == 1`; anything else is false.
    return this.buf[this.pos++] === 1;
  }

  /** A length prefix: -1 means null; anything below is malformed; anything beyond the frame is truncated. */
  private length(what: string, minElementSize: number): number {
    const n = this.int();
    if (n < -1) {
      throw new CodecError(CodecErrorCode.badLength, `${what} length ${n} at offset ${this.pos - 4} is negative`);
    }
    if (n > 0 && n * minElementSize > this.end - this.pos) {
      throw new CodecError(
        CodecErrorCode.truncated,
        `${what} of ${n} ${minElementSize === 1 ? 'bytes' : 'elements'} at offset ${this.pos - 4} does not fit in the ${this.end - this.pos} bytes left`,
      );
    }
    return n;
  }

  /** A ustring that Apache never sends as null; `field` names it in the error. */
  ustring(field: string): string {
    const n = this.length('string', 1);
    if (n === -1) throw new CodecError(CodecErrorCode.unexpectedNull, `${field} is null (length -1)`);
    const p = this.pos;
    this.pos = p + n;
    return this.buf.toString('utf8', p, p + n);
  }

  ustringOrNull(): string | null {
    const n = this.length('string', 1);
    if (n === -1) return null;
    const p = this.pos;
    this.pos = p + n;
    return this.buf.toString('utf8', p, p + n);
  }

  buffer(): Buffer | null {
    const n = this.length('buffer', 1);
    if (n === -1) return null;
    const p = this.pos;
    this.pos = p + n;
    const view = this.buf.subarray(p, p + n);
    return this.copyBuffers ? Buffer.from(view) : view;
  }

  /**
   * A vector count; -1 (null) is returned as is. `minElementSize` bounds the count by the
   * bytes left, so a hostile count cannot make us allocate a huge array.
   */
  vectorCount(minElementSize: number): number {
    return this.length('vector', minElementSize);
  }

  nonNullVectorCount(minElementSize: number, field: string): number {
    const n = this.length('vector', minElementSize);
    if (n === -1) throw new CodecError(CodecErrorCode.unexpectedNull, `${field} is null (count -1)`);
    return n;
  }
}
