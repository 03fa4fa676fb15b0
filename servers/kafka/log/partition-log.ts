import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { decodeRecordBatch } from '../../../protocols/kafka/records/record-batch.js';
import { BatchField } from '../../../protocols/kafka/records/record-batch-layout.js';
import { stampBatch } from '../../../protocols/kafka/records/record-batch-stamp.js';
import { readInt64 } from '../../../protocols/kafka/records/varint.js';
import type { LogConfig } from './log-config.js';
import { LogSegment } from './log-segment.js';
import { SegmentSuffix, parseSegmentFileName, segmentPath } from './segment-files.js';

export interface AppendResult {
  baseOffset: number;
  lastOffset: number;
  /** The append time written into the batches, or -1 for CreateTime topics. */
  logAppendTime: number;
}

export interface ReadResult {
  /** Whole batches (possibly none), a view to send as the partition's records. */
  records: Buffer | undefined;
}

export class OffsetOutOfRangeError extends Error {
  constructor(
    readonly offset: number,
    readonly logStartOffset: number,
    readonly logEndOffset: number,
  ) {
    super(`offset ${offset} is outside the log's range [${logStartOffset}, ${logEndOffset}]`);
  }
}

export interface OpenOptions {
  /** Recover segments at or past this offset (an unclean shutdown); undefined = clean. */
  recoverFrom?: number;
  logStartOffset?: number;
}

/**
 * One partition's log: segments ordered by base offset, the log start offset (what
 * DeleteRecords and retention advance), the log end offset (LEO) and, single-node, a high
 * watermark equal to the LEO. Issue #5 adds producer state and the last stable offset here.
 */
export class PartitionLog {
  private segments: LogSegment[] = [];
  logStartOffset = 0;
  /** Offset up to which everything is fsynced (Apache's recovery point). */
  recoveryPoint = 0;
  private unflushedMessages = 0;
  private lastFlushTime = Date.now();
  readonly recoveredBytesTruncated: number;

  constructor(
    readonly dir: string,
    readonly topic: string,
    readonly partition: number,
    public config: LogConfig,
    opts: OpenOptions = {},
  ) {
    mkdirSync(dir, { recursive: true });
    this.recoveredBytesTruncated = this.load(opts);
  }

  private load(opts: OpenOptions): number {
    const names = readdirSync(this.dir);
    // A .cleaned file is an unfinished compaction output; a .swap is a finished one whose
    // swap was interrupted: complete it (it holds the same offsets as the segment it replaces).
    for (const name of names) {
      if (name.endsWith(SegmentSuffix.cleaned)) rmSync(`${this.dir}/${name}`, { force: true });
    }
    for (const name of names) {
      const base = parseSegmentFileName(name, SegmentSuffix.swap);
      if (base !== undefined) LogSegment.replaceFiles(this.dir, base, segmentPath(this.dir, base, SegmentSuffix.swap));
    }
    const bases = readdirSync(this.dir)
      .map((n) => parseSegmentFileName(n, SegmentSuffix.log))
      .filter((b): b is number => b !== undefined)
      .sort((a, b) => a - b);
    // Index files of a segment whose .log vanished are leftovers of a deletion.
    for (const n of readdirSync(this.dir)) {
      const base = parseSegmentFileName(n, SegmentSuffix.index) ?? parseSegmentFileName(n, SegmentSuffix.timeIndex);
      if (base !== undefined && !bases.includes(base)) rmSync(`${this.dir}/${n}`, { force: true });
    }
    let truncated = 0;
    const recoverFrom = opts.recoverFrom;
    for (let i = 0; i < bases.length; i++) {
      const base = bases[i]!;
      const nextBase = bases[i + 1] ?? Number.MAX_SAFE_INTEGER;
      const recover = recoverFrom !== undefined && nextBase > recoverFrom;
      const { segment, recovery } = LogSegment.open(this.dir, base, this.config.indexIntervalBytes, recover);
      truncated += recovery?.truncatedBytes ?? 0;
      this.segments.push(segment);
      if (recovery && recovery.truncatedBytes > 0 && recover) {
        // Everything after a corrupt point is unreachable: later segments go too.
        for (const later of bases.slice(i + 1)) {
          const { segment: s } = LogSegment.open(this.dir, later, this.config.indexIntervalBytes, false);
          truncated += s.size;
          s.delete();
        }
        break;
      }
    }
    this.logStartOffset = Math.max(opts.logStartOffset ?? 0, this.segments[0]?.baseOffset ?? 0);
    if (this.segments.length === 0) this.segments.push(LogSegment.create(this.dir, this.logStartOffset, this.config.indexIntervalBytes));
    this.recoveryPoint = this.logEndOffset;
    return truncated;
  }

  get activeSegment(): LogSegment {
    return this.segments[this.segments.length - 1]!;
  }

  get logEndOffset(): number {
    const active = this.activeSegment;
    return active.nextOffset;
  }

  /** Single node: every appended record is replicated to the whole ISR ({self}) at once. */
  get highWatermark(): number {
    return this.logEndOffset;
  }

  /** Issue #5: the first offset of the oldest open transaction; none exist yet. */
  get lastStableOffset(): number {
    return this.highWatermark;
  }

  get sizeInBytes(): number {
    let n = 0;
    for (const s of this.segments) n += s.size;
    return n;
  }

  get segmentCount(): number {
    return this.segments.length;
  }

  segmentBaseOffsets(): number[] {
    return this.segments.map((s) => s.baseOffset);
  }

  /**
   * Appends validated, contiguous batches (`spans` = [position, size] within `records`),
   * assigning offsets from the LEO and stamping each batch in place. Each batch takes
   * lastOffsetDelta+1 offsets, read from its header: nothing is decompressed.
   */
  append(records: Buffer, spans: Array<[number, number]>, leaderEpoch: number, now: number): AppendResult {
    const logAppendTime = this.config.messageTimestampType === 'LogAppendTime' ? now : -1;
    const baseOffset = this.logEndOffset;
    let next = baseOffset;
    let maxTimestamp = -1;
    let messages = 0;
    for (const [pos, size] of spans) {
      const delta = records.readInt32BE(pos + BatchField.lastOffsetDelta);
      stampBatch(records, pos, size, next, leaderEpoch, logAppendTime >= 0 ? logAppendTime : undefined);
      const ts = readInt64(records, pos + BatchField.maxTimestamp);
      if (ts > maxTimestamp) maxTimestamp = ts;
      messages += records.readInt32BE(pos + BatchField.recordsCount);
      next += delta + 1;
    }
    const first = spans[0]![0];
    const [lastPos, lastSize] = spans[spans.length - 1]!;
    const bytes = records.subarray(first, lastPos + lastSize);
    this.maybeRoll(bytes.length, now);
    this.activeSegment.append(bytes, baseOffset, next - 1, maxTimestamp, now);
    this.unflushedMessages += messages;
    if (this.unflushedMessages >= this.config.flushMessages) this.flush();
    return { baseOffset, lastOffset: next - 1, logAppendTime };
  }

  private maybeRoll(incoming: number, now: number): void {
    const active = this.activeSegment;
    if (active.isEmpty) return;
    const full = active.size + incoming > this.config.segmentBytes;
    const old = active.firstAppendTime >= 0 && now - active.firstAppendTime >= this.config.segmentMs;
    if (full || old) this.roll();
  }

  /** Starts a new active segment at the LEO (the old one is flushed: it will not change). */
  roll(): void {
    const active = this.activeSegment;
    if (active.isEmpty) return;
    active.flush();
    this.segments.push(LogSegment.create(this.dir, this.logEndOffset, this.config.indexIntervalBytes));
  }

  /** Rolls an active segment older than segment.ms even without new appends (Apache's scheduler does). */
  rollIfAged(now: number): void {
    const active = this.activeSegment;
    if (!active.isEmpty && active.firstAppendTime >= 0 && now - active.firstAppendTime >= this.config.segmentMs) this.roll();
  }

  private segmentFor(offset: number): number {
    let lo = 0;
    let hi = this.segments.length - 1;
    let found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.segments[mid]!.baseOffset <= offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /**
   * Whole batches from `offset`, at most `maxBytes` (but always a first whole batch), below
   * `maxOffset` (exclusive; defaults to the high watermark). Throws OffsetOutOfRangeError.
   */
  read(offset: number, maxBytes: number, maxOffset = this.highWatermark): ReadResult {
    if (offset < this.logStartOffset || offset > this.logEndOffset) {
      throw new OffsetOutOfRangeError(offset, this.logStartOffset, this.logEndOffset);
    }
    for (let i = this.segmentFor(offset); i < this.segments.length; i++) {
      const seg = this.segments[i]!;
      if (seg.isEmpty || seg.lastOffset < offset) continue;
      return { records: seg.read(offset, maxBytes, maxOffset) };
    }
    return { records: undefined };
  }

  /**
   * ListOffsets by timestamp: the first offset whose record timestamp is ≥ `timestamp`,
   * with that timestamp. Decodes (and decompresses) only the one batch that holds it.
   */
  async offsetForTimestamp(timestamp: number): Promise<{ offset: number; timestamp: number } | undefined> {
    for (const seg of this.segments) {
      if (seg.isEmpty || seg.maxTimestamp < timestamp) continue;
      const loc = seg.findByTimestamp(timestamp);
      if (!loc) continue;
      const batch = await decodeRecordBatch(seg.readAt(loc.position, loc.size), 0, { verifyCrc: false });
      const logAppend = (batch.attributes & 0x08) !== 0;
      for (const r of batch.records) {
        const offset = batch.baseOffset + r.offsetDelta;
        const ts = logAppend ? batch.maxTimestamp : batch.baseTimestamp + r.timestampDelta;
        if (ts >= timestamp && offset >= this.logStartOffset) return { offset, timestamp: ts };
      }
    }
    return undefined;
  }

  /** ListOffsets MAX_TIMESTAMP (-3): the offset of the record with the largest timestamp. */
  async offsetOfMaxTimestamp(): Promise<{ offset: number; timestamp: number } | undefined> {
    let best: LogSegment | undefined;
    for (const seg of this.segments) if (!seg.isEmpty && (!best || seg.maxTimestamp > best.maxTimestamp)) best = seg;
    if (!best) return undefined;
    return this.offsetForTimestamp(best.maxTimestamp);
  }

  /** DeleteRecords: moves the log start offset forward and drops segments wholly below it. */
  deleteRecordsBefore(offset: number): number {
    if (offset > this.logStartOffset) this.logStartOffset = Math.min(offset, this.logEndOffset);
    this.deleteLeadingSegments((seg, next) => next !== undefined && next.baseOffset <= this.logStartOffset);
    return this.logStartOffset;
  }

  /**
   * Retention: deletes whole closed segments from the front, by time (segment's largest
   * timestamp older than retention.ms) and by size (while the log minus that segment is still
   * over retention.bytes). The active segment is never deleted. Returns segments deleted.
   */
  applyRetention(now: number): number {
    if (!this.config.cleanupPolicy.delete) return 0;
    let size = this.sizeInBytes;
    const { retentionMs, retentionBytes } = this.config;
    return this.deleteLeadingSegments((seg, next) => {
      if (next === undefined) return false;
      const byTime = retentionMs >= 0 && seg.maxTimestamp >= 0 && now - seg.maxTimestamp > retentionMs;
      const bySize = retentionBytes >= 0 && size - seg.size >= retentionBytes;
      if (byTime || bySize) {
        size -= seg.size;
        return true;
      }
      return false;
    });
  }

  private deleteLeadingSegments(shouldDelete: (seg: LogSegment, next: LogSegment | undefined) => boolean): number {
    let deleted = 0;
    while (this.segments.length > 1 && shouldDelete(this.segments[0]!, this.segments[1])) {
      const seg = this.segments.shift()!;
      seg.delete();
      deleted++;
    }
    this.logStartOffset = Math.max(this.logStartOffset, this.segments[0]!.baseOffset);
    return deleted;
  }

  /** Closed segments (the active one is never cleaned), for the log cleaner. */
  closedSegments(): LogSegment[] {
    return this.segments.slice(0, -1);
  }

  /** Puts a cleaned replacement (already renamed into place) in the segment list. */
  reopenSegment(baseOffset: number): void {
    const i = this.segments.findIndex((s) => s.baseOffset === baseOffset);
    if (i < 0 || i === this.segments.length - 1) throw new Error(`segment ${baseOffset} is not a closed segment of ${this.topic}-${this.partition}`);
    const { segment } = LogSegment.open(this.dir, baseOffset, this.config.indexIntervalBytes, true);
    this.segments[i] = segment;
  }

  /** Closes a segment's files before a replacement is renamed over it. */
  closeSegment(baseOffset: number): void {
    this.segments.find((s) => s.baseOffset === baseOffset)?.close();
  }

  flushIfDue(now: number): void {
    if (this.unflushedMessages > 0 && now - this.lastFlushTime >= this.config.flushMs) this.flush();
  }

  flush(): void {
    for (const s of this.segments) if (s.nextOffset > this.recoveryPoint || s === this.activeSegment) s.flush();
    this.recoveryPoint = this.logEndOffset;
    this.unflushedMessages = 0;
    this.lastFlushTime = Date.now();
  }

  close(): void {
    for (const s of this.segments) s.close();
  }

  /** Closes and deletes the partition directory (DeleteTopics). */
  delete(): void {
    this.close();
    const trash = `${this.dir}.${Date.now()}-delete`;
    renameSync(this.dir, trash);
    rmSync(trash, { recursive: true, force: true });
  }
}
