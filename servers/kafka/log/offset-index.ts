import { closeSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';

const ENTRY_BYTES = 8;

/**
 * A segment's sparse offset index (`.index`, Apache format): entries of relative offset
 * (int32) and file position (int32), one every `index.interval.bytes` of log. Entries live
 * in memory for lookups and are appended to the file; after an unclean shutdown the file is
 * rebuilt from the log, so a torn index never matters.
 */
export class OffsetIndex {
  private relOffsets: Int32Array;
  private positions: Int32Array;
  private count = 0;
  private fd: number;

  constructor(
    readonly path: string,
    readonly baseOffset: number,
  ) {
    this.fd = openSync(path, 'a+');
    const bytes = readFileSync(path);
    const n = Math.floor(bytes.length / ENTRY_BYTES);
    this.relOffsets = new Int32Array(Math.max(16, n * 2));
    this.positions = new Int32Array(this.relOffsets.length);
    for (let i = 0; i < n; i++) {
      this.relOffsets[i] = bytes.readInt32BE(i * ENTRY_BYTES);
      this.positions[i] = bytes.readInt32BE(i * ENTRY_BYTES + 4);
    }
    this.count = n;
  }

  get entries(): number {
    return this.count;
  }

  append(offset: number, position: number): void {
    const rel = offset - this.baseOffset;
    if (this.count > 0 && rel <= this.relOffsets[this.count - 1]!) return;
    if (this.count === this.relOffsets.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.relOffsets = grow(this.relOffsets);
      this.positions = grow(this.positions);
    }
    this.relOffsets[this.count] = rel;
    this.positions[this.count] = position;
    this.count++;
    const entry = Buffer.allocUnsafe(ENTRY_BYTES);
    entry.writeInt32BE(rel, 0);
    entry.writeInt32BE(position, 4);
    writeSync(this.fd, entry);
  }

  /** File position of the last indexed batch at or before `offset` (0 when none). */
  lookup(offset: number): number {
    const rel = offset - this.baseOffset;
    let lo = 0;
    let hi = this.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.relOffsets[mid]! <= rel) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found < 0 ? 0 : this.positions[found]!;
  }

  /** Drops every entry (before a rebuild). */
  reset(): void {
    this.count = 0;
    ftruncateSync(this.fd, 0);
  }

  /** Drops entries pointing at or past `position` (the log was truncated there). */
  truncateToPosition(position: number): void {
    let n = this.count;
    while (n > 0 && this.positions[n - 1]! >= position) n--;
    this.count = n;
    ftruncateSync(this.fd, n * ENTRY_BYTES);
  }

  fsyncFd(): number {
    return this.fd;
  }

  close(): void {
    closeSync(this.fd);
  }
}
