import { KafkaCodecError, KafkaFrameTooLargeError } from './codec-error.js';

/** Apache Kafka's default socket.request.max.bytes (100 MiB). */
export const DEFAULT_MAX_FRAME_SIZE = 104_857_600;

export interface FrameReaderOptions {
  /** Largest accepted frame body in bytes (the broker's socket.request.max.bytes). */
  maxFrameSize?: number;
}

/**
 * Splits a TCP byte stream into Kafka frames (int32 size, then that many bytes). Kept apart
 * from the message codecs, as pg-protocol does: it only knows sizes.
 *
 * Frames are handed out as views into internal buffers without copying; a buffer region that
 * was handed out is never written again, so a frame (and any record batch sliced from it)
 * stays valid as long as it is referenced.
 */
export class FrameReader {
  private readonly maxFrameSize: number;
  private buf: Buffer = Buffer.alloc(0);
  private start = 0;
  private end = 0;
  /** The buffer we allocated ourselves, if `buf` is it. */
  private owned: Buffer | null = null;

  constructor(options: FrameReaderOptions = {}) {
    this.maxFrameSize = options.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE;
  }

  /** Bytes received but not yet part of a complete frame. */
  get bufferedBytes(): number {
    return this.end - this.start;
  }

  /**
   * Feed the next chunk from the socket; `onFrame` is called for every complete frame body.
   * Throws KafkaFrameTooLargeError or KafkaCodecError (negative size) for a bad size prefix:
   * the stream cannot be resynchronised after that, so the caller should close the connection.
   */
  push(chunk: Buffer, onFrame: (frame: Buffer) => void): void {
    this.append(chunk);
    while (this.end - this.start >= 4) {
      const size = this.buf.readInt32BE(this.start);
      if (size < 0) throw new KafkaCodecError(`invalid frame size ${size} (negative): the peer is not speaking the Kafka protocol`);
      if (size > this.maxFrameSize) throw new KafkaFrameTooLargeError(size, this.maxFrameSize);
      if (this.end - this.start - 4 < size) {
        this.reserve(4 + size);
        return;
      }
      const frame = this.buf.subarray(this.start + 4, this.start + 4 + size);
      this.start += 4 + size;
      onFrame(frame);
    }
    if (this.start === this.end) {
      // Nothing pending: drop the reference so a large buffer can be collected.
      this.buf = Buffer.alloc(0);
      this.start = this.end = 0;
    }
  }

  private append(chunk: Buffer): void {
    if (this.start === this.end) {
      // Common case: no partial frame pending, parse the chunk in place.
      this.buf = chunk;
      this.start = 0;
      this.end = chunk.length;
      return;
    }
    if (this.isForeign || this.end + chunk.length > this.buf.length) {
      this.grow(this.end - this.start + chunk.length);
    }
    chunk.copy(this.buf, this.end);
    this.end += chunk.length;
  }

  /** True while `buf` is a socket chunk we do not own (never write into it). */
  private get isForeign(): boolean {
    return this.owned !== this.buf;
  }

  /** Make room for a frame of `total` bytes (size prefix included) from `start`. */
  private reserve(total: number): void {
    if (this.buf.length - this.start < total || this.isForeign) this.grow(Math.max(total, this.end - this.start));
  }

  private grow(minimum: number): void {
    const pending = this.end - this.start;
    const next = Buffer.allocUnsafe(Math.max(minimum, pending * 2, 4096));
    this.buf.copy(next, 0, this.start, this.end);
    this.buf = next;
    this.owned = next;
    this.start = 0;
    this.end = pending;
  }
}
