import { CodecError, CodecErrorCode } from './codec-error.js';
import { fourLetterWordOf, type FourLetterWord } from './four-letter-words.js';

/** jute.maxbuffer's default: 0xfffff (1 MiB − 1). */
export const DEFAULT_MAX_FRAME_SIZE = 0xfffff;

export interface FrameReaderOptions {
  /** Largest accepted payload (jute.maxbuffer). Default 0xfffff. */
  maxFrameSize?: number;
  /**
   * Recognise a four-letter word in place of the first length prefix, as a server does on a
   * fresh connection. Off by default (clients never receive them).
   */
  fourLetterWords?: boolean;
}

export interface FrameHandlers {
  /**
   * One complete payload (without its length prefix). It is a view into the socket chunk when
   * the frame arrived whole, else a buffer of its own; it stays valid after the call (the
   * reader never reuses memory it has handed out).
   */
  onFrame(frame: Buffer): void;
  /** A four-letter word opened the connection; nothing after it is parsed. */
  onFourLetterWord?(word: FourLetterWord): void;
}

/**
 * Splits a byte stream into ZooKeeper frames: a 4-byte big-endian length, then that many
 * bytes. Lengths below zero or above maxFrameSize raise a CodecError (Apache: "Len error",
 * then it closes the connection); the reader is then unusable, as the stream has lost sync.
 *
 * Frames that arrive whole are handed out without copying; a frame split across chunks is
 * assembled once into a buffer of exactly its size (no repeated concatenation).
 */
export class FrameReader {
  readonly maxFrameSize: number;
  private readonly handlers: FrameHandlers;
  private detectWords: boolean;
  private readonly header = Buffer.alloc(4);
  private headerFill = 0;
  /** The frame being assembled across chunks, or null between frames. */
  private body: Buffer | null = null;
  private bodyFill = 0;
  private failed: CodecError | null = null;
  private stopped = false;

  constructor(handlers: FrameHandlers, options: FrameReaderOptions = {}) {
    this.handlers = handlers;
    this.maxFrameSize = options.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE;
    this.detectWords = options.fourLetterWords ?? false;
  }

  /** True while a frame (or its length prefix) is partly received. */
  get hasPartialFrame(): boolean {
    return this.headerFill > 0 || this.body !== null;
  }

  /**
   * Feeds one chunk; calls the handlers for every frame it completes. A handler that throws
   * leaves the rest of the chunk unread, so the reader refuses further input after that.
   */
  push(chunk: Buffer): void {
    if (this.failed !== null) throw this.failed;
    try {
      this.consume(chunk);
    } catch (e) {
      this.failed ??= new CodecError(CodecErrorCode.streamBroken, `frame handler failed; stream position lost: ${String(e)}`);
      throw e;
    }
  }

  private consume(chunk: Buffer): void {
    let pos = 0;
    const end = chunk.length;
    while (pos < end && !this.stopped) {
      if (this.body !== null) {
        const take = Math.min(this.body.length - this.bodyFill, end - pos);
        chunk.copy(this.body, this.bodyFill, pos, pos + take);
        this.bodyFill += take;
        pos += take;
        if (this.bodyFill === this.body.length) {
          const frame = this.body;
          this.body = null;
          this.handlers.onFrame(frame);
        }
        continue;
      }
      let length: number;
      if (this.headerFill === 0 && end - pos >= 4) {
        length = chunk.readInt32BE(pos);
        pos += 4;
      } else {
        const take = Math.min(4 - this.headerFill, end - pos);
        chunk.copy(this.header, this.headerFill, pos, pos + take);
        this.headerFill += take;
        pos += take;
        if (this.headerFill < 4) return;
        this.headerFill = 0;
        length = this.header.readInt32BE(0);
      }
      if (this.detectWords) {
        this.detectWords = false;
        const word = fourLetterWordOf(length);
        if (word !== undefined) {
          this.stopped = true;
          this.handlers.onFourLetterWord?.(word);
          return;
        }
      }
      this.checkLength(length);
      if (end - pos >= length) {
        const frame = chunk.subarray(pos, pos + length);
        pos += length;
        this.handlers.onFrame(frame);
      } else {
        this.body = Buffer.allocUnsafe(length);
        this.bodyFill = 0;
      }
    }
  }

  private checkLength(length: number): void {
    if (length < 0) {
      this.failed = new CodecError(CodecErrorCode.negativeLength, `frame length ${length} is negative; the stream is corrupt`);
    } else if (length > this.maxFrameSize) {
      this.failed = new CodecError(
        CodecErrorCode.frameTooLarge,
        `frame length ${length} exceeds jute.maxbuffer (${this.maxFrameSize}); raise it (-Djute.maxbuffer) if the frame is legitimate`,
      );
    } else {
      this.detectWords = false;
      return;
    }
    throw this.failed;
  }
}
