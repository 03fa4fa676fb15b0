import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { batchSizeAt, checkRecordBatch } from '../../../protocols/kafka/records/record-batch-check.js';
import { BATCH_HEADER_BYTES, BatchField } from '../../../protocols/kafka/records/record-batch-layout.js';
import { readInt64 } from '../../../protocols/kafka/records/varint.js';
import { OffsetIndex } from './offset-index.js';
import { SegmentSuffix, segmentPath } from './segment-files.js';
import { TimeIndex } from './time-index.js';
import { TransactionIndex } from './transaction-index.js';

/** Where a batch sits in a segment, read from its header alone. */
export interface BatchLocation {
  position: number;
  size: number;
  baseOffset: number;
  lastOffset: number;
  maxTimestamp: number;
  attributes: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
}

/** Bytes of header needed to learn a batch's offsets, timestamps and producer. */
const LOCATE_BYTES = BATCH_HEADER_BYTES;
/** Read size when scanning a segment from an index position. */
const SCAN_CHUNK = 64 * 1024;

export interface RecoveryResult {
  validBytes: number;
  truncatedBytes: number;
  batches: number;
}

/**
 * One segment of a partition log: a `.log` file of record batches back to back, plus its
 * sparse `.index` and `.timeindex`. Appends go through write(2), so an acknowledged batch
 * is in the page cache and survives a process crash; fsync happens per the flush policy.
 */
export class LogSegment {
  readonly baseOffset: number;
  private fd: number;
  size: number;
  readonly offsetIndex: OffsetIndex;
  readonly timeIndex: TimeIndex;
  /** Aborted transactions whose ABORT marker is in this segment (`.txnindex`). */
  readonly txnIndex: TransactionIndex;
  /** Offset after the last batch (the next offset to assign if this is the active segment). */
  nextOffset: number;
  maxTimestamp = -1;
  /** When the first batch was appended (ms), for segment.ms rolling; -1 while empty. */
  firstAppendTime = -1;
  private bytesSinceIndexEntry = 0;

  private constructor(
    readonly dir: string,
    baseOffset: number,
    private readonly indexIntervalBytes: number,
  ) {
    this.baseOffset = baseOffset;
    this.fd = openSync(segmentPath(dir, baseOffset, SegmentSuffix.log), 'a+');
    this.size = fstatSync(this.fd).size;
    this.offsetIndex = new OffsetIndex(segmentPath(dir, baseOffset, SegmentSuffix.index), baseOffset);
    this.timeIndex = new TimeIndex(segmentPath(dir, baseOffset, SegmentSuffix.timeIndex), baseOffset);
    this.txnIndex = new TransactionIndex(segmentPath(dir, baseOffset, SegmentSuffix.txnIndex));
    this.nextOffset = baseOffset;
  }

  static create(dir: string, baseOffset: number, indexIntervalBytes: number): LogSegment {
    return new LogSegment(dir, baseOffset, indexIntervalBytes);
  }

  /**
   * Opens an existing segment. With `recover`, every batch is checked (framing, CRC) and
   * the segment is truncated after the last good one and its indexes rebuilt — what Apache
   * does for segments past the recovery point after an unclean shutdown. Without it, only
   * the last batch is located to learn the next offset.
   */
  static open(dir: string, baseOffset: number, indexIntervalBytes: number, recover: boolean): { segment: LogSegment; recovery?: RecoveryResult } {
    const segment = new LogSegment(dir, baseOffset, indexIntervalBytes);
    if (recover || segment.offsetIndex.entries === 0) return { segment, recovery: segment.recover() };
    segment.loadTail();
    return { segment };
  }

  get path(): string {
    return segmentPath(this.dir, this.baseOffset, SegmentSuffix.log);
  }

  get isEmpty(): boolean {
    return this.size === 0;
  }

  /** When the segment's log file was last written (ms), which ListOffsets v0 searches by. */
  get lastModified(): number {
    return Math.floor(fstatSync(this.fd).mtimeMs);
  }

  /** Last offset in the segment, or baseOffset-1 when empty. */
  get lastOffset(): number {
    return this.nextOffset - 1;
  }

  /** Appends a stamped batch (or several, back to back) whose last offset is `lastOffset`. */
  append(batches: Buffer, firstOffset: number, lastOffset: number, maxTimestamp: number, now: number): void {
    if (this.bytesSinceIndexEntry >= this.indexIntervalBytes) {
      this.offsetIndex.append(firstOffset, this.size);
      this.timeIndex.maybeAppend(Math.max(this.maxTimestamp, maxTimestamp), firstOffset);
      this.bytesSinceIndexEntry = 0;
    }
    let written = 0;
    while (written < batches.length) written += writeSync(this.fd, batches, written, batches.length - written, this.size + written);
    if (this.firstAppendTime < 0) this.firstAppendTime = now;
    this.size += batches.length;
    this.bytesSinceIndexEntry += batches.length;
    this.nextOffset = lastOffset + 1;
    if (maxTimestamp > this.maxTimestamp) this.maxTimestamp = maxTimestamp;
  }

  readAt(position: number, length: number): Buffer {
    const len = Math.max(0, Math.min(length, this.size - position));
    const buf = Buffer.allocUnsafe(len);
    let got = 0;
    while (got < len) {
      const n = readSync(this.fd, buf, got, len - got, position + got);
      if (n === 0) break;
      got += n;
    }
    return got === len ? buf : buf.subarray(0, got);
  }

  private locateAt(position: number, chunk: Buffer, chunkStart: number): BatchLocation | undefined {
    let rel = position - chunkStart;
    let buf = chunk;
    if (rel < 0 || rel + LOCATE_BYTES > chunk.length) {
      buf = this.readAt(position, LOCATE_BYTES);
      rel = 0;
      if (buf.length < LOCATE_BYTES) return undefined;
    }
    const size = buf.readInt32BE(rel + BatchField.batchLength) + 12;
    const baseOffset = readInt64(buf, rel + BatchField.baseOffset);
    return {
      position,
      size,
      baseOffset,
      lastOffset: baseOffset + buf.readInt32BE(rel + BatchField.lastOffsetDelta),
      maxTimestamp: readInt64(buf, rel + BatchField.maxTimestamp),
      attributes: buf.readInt16BE(rel + BatchField.attributes),
      producerId: readInt64(buf, rel + BatchField.producerId),
      producerEpoch: buf.readInt16BE(rel + BatchField.producerEpoch),
      baseSequence: buf.readInt32BE(rel + BatchField.baseSequence),
    };
  }

  /** Batches in file order from the indexed position at or before `offset`. */
  *batchesFrom(offset: number): Generator<BatchLocation> {
    let position = this.offsetIndex.lookup(offset);
    let chunkStart = position;
    let chunk: Buffer = this.readAt(position, SCAN_CHUNK);
    while (position < this.size) {
      if (position + LOCATE_BYTES > chunkStart + chunk.length) {
        chunkStart = position;
        chunk = this.readAt(position, SCAN_CHUNK);
      }
      const loc = this.locateAt(position, chunk, chunkStart);
      if (!loc || loc.size < BATCH_HEADER_BYTES) return;
      yield loc;
      position += loc.size;
    }
  }

  /** The first batch whose last offset is ≥ `offset`. */
  findBatch(offset: number): BatchLocation | undefined {
    for (const loc of this.batchesFrom(offset)) if (loc.lastOffset >= offset) return loc;
    return undefined;
  }

  /**
   * Whole batches starting with the one holding `offset`, up to `maxBytes` (at least one
   * batch, however large: KIP-74) and never past `maxOffset` (exclusive: the high watermark
   * or last stable offset).
   */
  read(offset: number, maxBytes: number, maxOffset: number): Buffer | undefined {
    const first = this.findBatch(offset);
    if (!first || first.baseOffset >= maxOffset) return undefined;
    let end = first.position + first.size;
    if (first.size < maxBytes) {
      for (const loc of this.batchesFrom(first.lastOffset + 1)) {
        if (loc.position < end) continue;
        if (loc.lastOffset >= maxOffset || loc.position + loc.size - first.position > maxBytes) break;
        end = loc.position + loc.size;
      }
    }
    return this.readAt(first.position, end - first.position);
  }

  /** Smallest offset of a batch whose maxTimestamp ≥ `timestamp` (the caller refines inside it). */
  findByTimestamp(timestamp: number): BatchLocation | undefined {
    for (const loc of this.batchesFrom(this.timeIndex.lookup(timestamp))) if (loc.maxTimestamp >= timestamp) return loc;
    return undefined;
  }

  private loadTail(): void {
    // Start at the last index entry and walk to the end to find the next offset and max timestamp.
    this.maxTimestamp = this.timeIndex.lastTimestamp;
    let last: BatchLocation | undefined;
    for (const loc of this.batchesFrom(Number.MAX_SAFE_INTEGER)) {
      last = loc;
      if (loc.maxTimestamp > this.maxTimestamp) this.maxTimestamp = loc.maxTimestamp;
    }
    if (last) this.nextOffset = last.lastOffset + 1;
    if (this.size > 0) this.firstAppendTime = Date.now();
  }

  /**
   * Checks every batch, truncates a torn or corrupt tail, rebuilds the offset and time
   * indexes. The transaction index is the partition's to rebuild: it needs producer state.
   */
  recover(): RecoveryResult {
    this.offsetIndex.reset();
    this.timeIndex.reset();
    this.maxTimestamp = -1;
    this.nextOffset = this.baseOffset;
    this.bytesSinceIndexEntry = 0;
    let position = 0;
    let batches = 0;
    const fileSize = this.size;
    let chunk: Buffer = Buffer.alloc(0);
    let chunkStart = 0;
    while (position < fileSize) {
      let rel = position - chunkStart;
      let size = -1;
      try {
        size = batchSizeAt(chunk, rel);
        if (size < 0) {
          // Need more bytes: read this batch (or at least its header) into a fresh chunk.
          const head = this.readAt(position, BATCH_HEADER_BYTES);
          const want = head.length >= 12 ? Math.max(head.readInt32BE(8) + 12, SCAN_CHUNK) : SCAN_CHUNK;
          chunk = this.readAt(position, Math.min(want, 1 << 30));
          chunkStart = position;
          rel = 0;
          size = batchSizeAt(chunk, 0);
          if (size < 0) break; // torn tail
        }
        checkRecordBatch(chunk, rel, rel + size, { checkRecords: true });
      } catch {
        break; // corrupt batch: everything from here on is discarded
      }
      const baseOffset = readInt64(chunk, rel + BatchField.baseOffset);
      const lastOffset = baseOffset + chunk.readInt32BE(rel + BatchField.lastOffsetDelta);
      if (baseOffset < this.nextOffset) break; // offsets must grow; anything else is garbage
      const maxTimestamp = readInt64(chunk, rel + BatchField.maxTimestamp);
      if (this.bytesSinceIndexEntry >= this.indexIntervalBytes) {
        this.offsetIndex.append(baseOffset, position);
        this.timeIndex.maybeAppend(Math.max(this.maxTimestamp, maxTimestamp), baseOffset);
        this.bytesSinceIndexEntry = 0;
      }
      this.bytesSinceIndexEntry += size;
      this.nextOffset = lastOffset + 1;
      if (maxTimestamp > this.maxTimestamp) this.maxTimestamp = maxTimestamp;
      position += size;
      batches++;
    }
    if (position < fileSize) ftruncateSync(this.fd, position);
    this.size = position;
    if (this.size > 0) this.firstAppendTime = Date.now();
    return { validBytes: position, truncatedBytes: fileSize - position, batches };
  }

  flush(): void {
    fsyncSync(this.fd);
    fsyncSync(this.offsetIndex.fsyncFd());
    fsyncSync(this.timeIndex.fsyncFd());
    this.txnIndex.flush();
  }

  close(): void {
    closeSync(this.fd);
    this.offsetIndex.close();
    this.timeIndex.close();
    this.txnIndex.close();
  }

  /** Closes and removes the segment's files. */
  delete(): void {
    this.close();
    for (const suffix of [SegmentSuffix.log, SegmentSuffix.index, SegmentSuffix.timeIndex, SegmentSuffix.txnIndex]) {
      rmSync(segmentPath(this.dir, this.baseOffset, suffix), { force: true });
    }
  }

  /**
   * Puts a replacement `.log` in place (its offset and time indexes are rebuilt on reopen).
   * The `.txnindex` stays: compaction keeps every marker at its offset.
   */
  static replaceFiles(dir: string, baseOffset: number, newLogPath: string): void {
    for (const suffix of [SegmentSuffix.index, SegmentSuffix.timeIndex]) rmSync(segmentPath(dir, baseOffset, suffix), { force: true });
    renameSync(newLogPath, segmentPath(dir, baseOffset, SegmentSuffix.log));
  }
}
