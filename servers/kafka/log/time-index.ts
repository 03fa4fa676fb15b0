import { closeSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { readInt64, writeInt64 } from '../../../protocols/kafka/records/varint.js';

const ENTRY_BYTES = 12;

/**
 * A segment's sparse time index (`.timeindex`, Apache format): entries of timestamp (int64)
 * and relative offset (int32), each recording a new largest timestamp, written alongside
 * offset-index entries. Used to find where to start scanning for ListOffsets by time.
 */
export class TimeIndex {
  private timestamps: number[] = [];
  private relOffsets: number[] = [];
  private fd: number;

  constructor(
    readonly path: string,
    readonly baseOffset: number,
  ) {
    this.fd = openSync(path, 'a+');
    const bytes = readFileSync(path);
    for (let pos = 0; pos + ENTRY_BYTES <= bytes.length; pos += ENTRY_BYTES) {
      this.timestamps.push(readInt64(bytes, pos));
      this.relOffsets.push(bytes.readInt32BE(pos + 8));
    }
  }

  get lastTimestamp(): number {
    return this.timestamps.length ? this.timestamps[this.timestamps.length - 1]! : -1;
  }

  maybeAppend(timestamp: number, offset: number): void {
    if (timestamp <= this.lastTimestamp) return;
    const rel = offset - this.baseOffset;
    this.timestamps.push(timestamp);
    this.relOffsets.push(rel);
    const entry = Buffer.allocUnsafe(ENTRY_BYTES);
    writeInt64(entry, 0, timestamp);
    entry.writeInt32BE(rel, 8);
    writeSync(this.fd, entry);
  }

  /**
   * An offset from which a forward scan finds the first batch with a timestamp ≥ target:
   * the entry just before the first one reaching the target (base offset when none).
   */
  lookup(timestamp: number): number {
    let lo = 0;
    let hi = this.timestamps.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.timestamps[mid]! < timestamp) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found < 0 ? this.baseOffset : this.baseOffset + this.relOffsets[found]!;
  }

  reset(): void {
    this.timestamps = [];
    this.relOffsets = [];
    ftruncateSync(this.fd, 0);
  }

  fsyncFd(): number {
    return this.fd;
  }

  close(): void {
    closeSync(this.fd);
  }
}
