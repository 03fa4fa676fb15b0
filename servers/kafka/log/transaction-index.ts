import { closeSync, existsSync, fsyncSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';

/** An aborted transaction as the `.txnindex` records it (Apache `AbortedTxn`). */
export interface AbortedTxn {
  producerId: number;
  firstOffset: number;
  /** Offset of the ABORT marker. */
  lastOffset: number;
  /** The last stable offset right after the abort: where a reader may stop looking further. */
  lastStableOffset: number;
}

/** version int16, producerId int64, firstOffset int64, lastOffset int64, lastStableOffset int64. */
const ENTRY_BYTES = 34;
const ENTRY_VERSION = 0;

export function encodeAbortedTxn(t: AbortedTxn): Buffer {
  const b = Buffer.allocUnsafe(ENTRY_BYTES);
  b.writeInt16BE(ENTRY_VERSION, 0);
  b.writeBigInt64BE(BigInt(t.producerId), 2);
  b.writeBigInt64BE(BigInt(t.firstOffset), 10);
  b.writeBigInt64BE(BigInt(t.lastOffset), 18);
  b.writeBigInt64BE(BigInt(t.lastStableOffset), 26);
  return b;
}

function decodeAbortedTxn(b: Buffer, pos: number): AbortedTxn | undefined {
  if (b.readInt16BE(pos) !== ENTRY_VERSION) return undefined;
  return {
    producerId: Number(b.readBigInt64BE(pos + 2)),
    firstOffset: Number(b.readBigInt64BE(pos + 10)),
    lastOffset: Number(b.readBigInt64BE(pos + 18)),
    lastStableOffset: Number(b.readBigInt64BE(pos + 26)),
  };
}

/**
 * A segment's transaction index (`.txnindex`, Apache format): one 34-byte entry per aborted
 * transaction whose ABORT marker lies in the segment, in marker order. read_committed
 * fetches list the aborted transactions overlapping what they return, so the consumer can
 * drop their records. The file is created on the first entry, as Apache does; entries are
 * also kept in memory.
 */
export class TransactionIndex {
  private readonly items: AbortedTxn[] = [];
  private fd: number | undefined;

  constructor(readonly path: string) {
    if (!existsSync(path)) return;
    const bytes = readFileSync(path);
    for (let pos = 0; pos + ENTRY_BYTES <= bytes.length; pos += ENTRY_BYTES) {
      const t = decodeAbortedTxn(bytes, pos);
      // A torn or foreign tail ends the index; recovery rebuilds what follows.
      if (!t || (this.items.length > 0 && t.lastOffset <= this.items[this.items.length - 1]!.lastOffset)) break;
      this.items.push(t);
    }
  }

  get entries(): readonly AbortedTxn[] {
    return this.items;
  }

  /** Offset of the last indexed ABORT marker, or -1. */
  get lastMarkerOffset(): number {
    return this.items.length ? this.items[this.items.length - 1]!.lastOffset : -1;
  }

  append(t: AbortedTxn): void {
    if (t.lastOffset <= this.lastMarkerOffset) return; // already indexed (replay after a restart)
    this.items.push(t);
    this.fd ??= openSync(this.path, 'a');
    writeSync(this.fd, encodeAbortedTxn(t));
  }

  /**
   * The aborted transactions overlapping [fetchOffset, upperBoundOffset), and whether the
   * search may stop here: an entry whose last stable offset reaches the bound proves no later
   * segment can hold an overlapping one (Apache `TransactionIndex.collectAbortedTxns`).
   */
  collect(fetchOffset: number, upperBoundOffset: number, into: AbortedTxn[]): boolean {
    for (const t of this.items) {
      if (t.lastOffset >= fetchOffset && t.firstOffset < upperBoundOffset) into.push(t);
      if (t.lastStableOffset >= upperBoundOffset) return true;
    }
    return false;
  }

  /** Drops entries whose marker is at or past `offset` (recovery truncated the log there). */
  truncateTo(offset: number): void {
    const keep = this.items.filter((t) => t.lastOffset < offset);
    if (keep.length === this.items.length) return;
    this.reset();
    for (const t of keep) this.append(t);
  }

  reset(): void {
    this.items.length = 0;
    this.close();
    rmSync(this.path, { force: true });
  }

  flush(): void {
    if (this.fd !== undefined) fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  delete(): void {
    this.close();
    rmSync(this.path, { force: true });
  }
}
