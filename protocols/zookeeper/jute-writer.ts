import { CodecError, CodecErrorCode } from './codec-error.js';

const TWO_POW_32 = 4294967296;
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
/** Strings up to this many UTF-16 units are written by hand: cheaper than a call into C++. */
const SHORT_STRING = 64;

/**
 * Writes jute primitives into one growable buffer that is reused across messages. Frames
 * (4-byte big-endian length + payload) are opened with `beginFrame` and closed with
 * `endFrame`, which patches the length in; many frames can be batched and taken out in one
 * Buffer with `take()`, so a client writes once per tick instead of once per request.
 */
export class JuteWriter {
  private buf: Buffer;
  pos = 0;

  constructor(initialCapacity = 16 * 1024) {
    this.buf = Buffer.allocUnsafe(initialCapacity);
  }

  /** Bytes written and not yet taken. */
  get length(): number {
    return this.pos;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const bigger = Buffer.allocUnsafe(size);
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  int(v: number): void {
    if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) {
      throw new CodecError(CodecErrorCode.unencodable, `int out of range: ${String(v)}`);
    }
    this.ensure(4);
    const b = this.buf;
    const p = this.pos;
    b[p] = v >>> 24;
    b[p + 1] = v >>> 16;
    b[p + 2] = v >>> 8;
    b[p + 3] = v;
    this.pos = p + 4;
  }

  long(v: bigint): void {
    if (typeof v !== 'bigint') {
      throw new CodecError(CodecErrorCode.unencodable, `long must be a bigint, got ${typeof v} ${String(v)}`);
    }
    this.ensure(8);
    if (v >= MIN_SAFE && v <= MAX_SAFE) {
      // Number arithmetic avoids BigInt shifts (each one allocates).
      const n = Number(v);
      const hi = Math.floor(n / TWO_POW_32);
      const lo = n - hi * TWO_POW_32;
      const b = this.buf;
      const p = this.pos;
      b[p] = hi >>> 24;
      b[p + 1] = hi >>> 16;
      b[p + 2] = hi >>> 8;
      b[p + 3] = hi;
      b[p + 4] = lo >>> 24;
      b[p + 5] = lo >>> 16;
      b[p + 6] = lo >>> 8;
      b[p + 7] = lo;
    } else {
      if (v < INT64_MIN || v > INT64_MAX) {
        throw new CodecError(CodecErrorCode.unencodable, `long out of 64-bit range: ${v}`);
      }
      this.buf.writeBigInt64BE(v, this.pos);
    }
    this.pos += 8;
  }

  bool(v: boolean): void {
    this.ensure(1);
    this.buf[this.pos++] = v ? 1 : 0;
  }

  /** A ustring; null is written as length -1 (Java's writeString(null)). */
  ustring(s: string | null): void {
    if (s === null) {
      this.int(-1);
      return;
    }
    const len = s.length;
    // UTF-8 never takes more than 3 bytes per UTF-16 unit.
    this.ensure(4 + len * 3);
    const b = this.buf;
    const start = this.pos + 4;
    let written = -1;
    if (len <= SHORT_STRING) {
      let i = 0;
      for (; i < len; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        b[start + i] = c;
      }
      if (i === len) written = len;
    }
    if (written < 0) written = b.write(s, start, 'utf8');
    const p = this.pos;
    b[p] = written >>> 24;
    b[p + 1] = written >>> 16;
    b[p + 2] = written >>> 8;
    b[p + 3] = written;
    this.pos = start + written;
  }

  /** A buffer; null is written as length -1. */
  buffer(v: Uint8Array | null): void {
    if (v === null) {
      this.int(-1);
      return;
    }
    const n = v.length;
    this.int(n);
    this.ensure(n);
    this.buf.set(v, this.pos);
    this.pos += n;
  }

  /** Appends already-encoded bytes (e.g. a body encoded elsewhere). */
  raw(v: Uint8Array): void {
    this.ensure(v.length);
    this.buf.set(v, this.pos);
    this.pos += v.length;
  }

  /** Reserves the 4-byte length of a frame; pass the result to `endFrame`. */
  beginFrame(): number {
    this.ensure(4);
    const start = this.pos;
    this.pos += 4;
    return start;
  }

  /** Patches the frame length in; throws when the payload exceeds `maxFrameSize` (jute.maxbuffer). */
  endFrame(start: number, maxFrameSize = Number.MAX_SAFE_INTEGER): void {
    const len = this.pos - start - 4;
    if (len > maxFrameSize) {
      this.pos = start;
      throw new CodecError(
        CodecErrorCode.frameTooLarge,
        `frame of ${len} bytes exceeds jute.maxbuffer (${maxFrameSize}); the server would close the connection`,
      );
    }
    this.buf.writeInt32BE(len, start);
  }

  /** Drops everything written since `pos` (used to roll back a message that failed to encode). */
  truncate(pos: number): void {
    this.pos = pos;
  }

  /** Everything written so far as a fresh Buffer (safe to hand to a socket); the writer is emptied. */
  take(): Buffer {
    const out = Buffer.allocUnsafe(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    this.pos = 0;
    return out;
  }
}
