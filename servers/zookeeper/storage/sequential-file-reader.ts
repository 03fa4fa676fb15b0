import { closeSync, openSync, readSync } from 'node:fs';

/**
 * Reads a file front to back in large chunks and hands out exact byte ranges, so recovery
 * parses multi-hundred-megabyte logs and snapshots without holding them in memory.
 */
export class SequentialFileReader {
  private readonly fd: number;
  private buf: Buffer;
  private start = 0;
  private end = 0;
  private filePos = 0;
  private eof = false;
  /** Offset in the file of the next unread byte. */
  position = 0;

  constructor(
    readonly path: string,
    chunkSize = 1 << 20,
  ) {
    this.fd = openSync(path, 'r');
    this.buf = Buffer.allocUnsafe(chunkSize);
  }

  /** The next `n` bytes (valid until the next call), or null when the file ends first. */
  read(n: number): Buffer | null {
    if (!this.fill(n)) return null;
    const out = this.buf.subarray(this.start, this.start + n);
    this.start += n;
    this.position += n;
    return out;
  }

  private fill(n: number): boolean {
    if (this.end - this.start >= n) return true;
    if (n > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(n, this.buf.length * 2));
      this.buf.copy(bigger, 0, this.start, this.end);
      this.end -= this.start;
      this.start = 0;
      this.buf = bigger;
    } else if (this.start > 0) {
      this.buf.copy(this.buf, 0, this.start, this.end);
      this.end -= this.start;
      this.start = 0;
    }
    while (this.end - this.start < n && !this.eof) {
      const got = readSync(this.fd, this.buf, this.end, this.buf.length - this.end, this.filePos);
      if (got === 0) this.eof = true;
      this.end += got;
      this.filePos += got;
    }
    return this.end - this.start >= n;
  }

  close(): void {
    closeSync(this.fd);
  }
}
