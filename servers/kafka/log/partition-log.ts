import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import { decodeRecordBatch } from '../../../protocols/kafka/records/record-batch.js';
import { BatchField } from '../../../protocols/kafka/records/record-batch-layout.js';
import { stampBatch } from '../../../protocols/kafka/records/record-batch-stamp.js';
import { readInt64 } from '../../../protocols/kafka/records/varint.js';
import { kafkaFaults } from '../fault-injection.js';
import { producerBatchAt } from '../producer/producer-batch-facts.js';
import { type AppendOrigin, type ProducerBatch, ProducerStateManager } from '../producer/producer-state-manager.js';
import { DurabilityJournal } from './durability-journal.js';
import type { LogConfig } from './log-config.js';
import { LogSegment } from './log-segment.js';
import { SegmentSuffix, parseSegmentFileName, segmentPath } from './segment-files.js';
import type { AbortedTxn } from './transaction-index.js';

export interface AppendResult {
  baseOffset: number;
  lastOffset: number;
  /** The append time written into the batches, or -1 for CreateTime topics (a duplicate: the original's timestamp). */
  logAppendTime: number;
  /** An idempotent retry of a batch already stored: nothing was written, the offsets are the original's. */
  duplicate?: boolean;
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
  /** What the disk nemesis needs; defaults to the process environment (servers/kafka/fault-injection.ts). */
  durability?: DurabilityOptions;
  /** Wall clock in epoch ms for flush times (the broker's; default the system's). */
  now?: () => number;
}

export interface DurabilityOptions {
  /** Keep the durability journal (`KZBENCH_DURABILITY_JOURNAL=1`). */
  journal: boolean;
  /** `--inject-bug skip-fsync`: flushes count as done without reaching the disk. */
  skipFsync: boolean;
}

/**
 * One partition's log: segments ordered by base offset, the log start offset (what
 * DeleteRecords and retention advance), the log end offset (LEO), single-node a high
 * watermark equal to the LEO, producer state (idempotence, open transactions) and the last
 * stable offset they bound, and the aborted-transaction index read_committed fetches use.
 */
export class PartitionLog {
  private segments: LogSegment[] = [];
  readonly producerState: ProducerStateManager;
  logStartOffset = 0;
  /** Offset up to which everything is fsynced (Apache's recovery point). */
  recoveryPoint = 0;
  private unflushedMessages = 0;
  private lastFlushTime: number;
  private readonly now: () => number;
  readonly recoveredBytesTruncated: number;
  private readonly journal: DurabilityJournal | undefined;
  private readonly skipFsync: boolean;

  constructor(
    readonly dir: string,
    readonly topic: string,
    readonly partition: number,
    public config: LogConfig,
    opts: OpenOptions = {},
  ) {
    mkdirSync(dir, { recursive: true });
    this.now = opts.now ?? Date.now;
    this.lastFlushTime = this.now();
    const durability = opts.durability ?? { journal: kafkaFaults.journal, skipFsync: kafkaFaults.skipsFsync };
    this.journal = durability.journal ? new DurabilityJournal(dir) : undefined;
    this.skipFsync = durability.skipFsync;
    this.producerState = new ProducerStateManager(dir, `${topic}-${partition}`);
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
      const base =
        parseSegmentFileName(n, SegmentSuffix.index) ?? parseSegmentFileName(n, SegmentSuffix.timeIndex) ?? parseSegmentFileName(n, SegmentSuffix.txnIndex);
      if (base !== undefined && !bases.includes(base)) rmSync(`${this.dir}/${n}`, { force: true });
    }
    let truncated = 0;
    const recoverFrom = opts.recoverFrom;
    let firstRecoveredBase: number | undefined;
    for (let i = 0; i < bases.length; i++) {
      const base = bases[i]!;
      const nextBase = bases[i + 1] ?? Number.MAX_SAFE_INTEGER;
      const recover = recoverFrom !== undefined && nextBase > recoverFrom;
      const { segment, recovery } = LogSegment.open(this.dir, base, this.config.indexIntervalBytes, recover);
      truncated += recovery?.truncatedBytes ?? 0;
      if (recover) {
        // Its aborted transactions are re-derived from the batches by the producer state replay.
        segment.txnIndex.reset();
        firstRecoveredBase ??= base;
      }
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
    for (const seg of this.segments) seg.txnIndex.truncateTo(this.logEndOffset);
    this.loadProducerState(Math.min(firstRecoveredBase ?? this.logEndOffset, this.logEndOffset));
    this.recoveryPoint = this.logEndOffset;
    this.journal?.record(this.activeSegment.path, this.durableEndAtOpen(opts.recoverFrom === undefined));
    return truncated;
  }

  /**
   * How much of the active segment is on disk as the log opens: what the journal last said
   * of it (less when recovery cut the file shorter); all of it after a clean shutdown with no
   * journal yet (the shutdown flushed); otherwise nothing (the journal names a segment that
   * has since rolled, so this one was never flushed).
   */
  private durableEndAtOpen(cleanShutdown: boolean): number {
    const active = this.activeSegment;
    const last = this.journal?.read();
    if (last && last.file === basename(active.path)) return Math.min(last.durableEnd, active.size);
    return !last && cleanShutdown ? active.size : 0;
  }

  /**
   * Producer state from the newest snapshot at or below `upTo`, then every later batch
   * replayed from the log (Apache rebuilds the same way), re-indexing aborted transactions
   * of recovered segments on the way.
   */
  private loadProducerState(upTo: number): void {
    const from = this.producerState.loadSnapshot(upTo) ?? this.logStartOffset;
    for (let i = this.segmentFor(from); i < this.segments.length; i++) {
      const seg = this.segments[i]!;
      for (const loc of seg.batchesFrom(from)) {
        if (loc.baseOffset < from || loc.producerId < 0) continue;
        const bytes = seg.readAt(loc.position, loc.size);
        const batch = producerBatchAt(bytes, 0, loc.size, loc.baseOffset);
        if (batch) this.applyProducerBatches([batch], 'replication', seg);
      }
    }
  }

  /** Applies batches already in the log (replay) to producer state and the transaction index. */
  private applyProducerBatches(batches: ProducerBatch[], origin: AppendOrigin, segment: LogSegment): void {
    const analysis = this.producerState.analyze(batches, origin);
    this.producerState.commit(analysis);
    for (const txn of analysis.completed) {
      if (!txn.aborted) continue;
      const lastStableOffset = this.producerState.lastStableOffsetAfter(txn);
      segment.txnIndex.append({ producerId: txn.producerId, firstOffset: txn.firstOffset, lastOffset: txn.lastOffset, lastStableOffset });
    }
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

  /** The first offset of the oldest open transaction, else the high watermark. */
  get lastStableOffset(): number {
    const unstable = this.producerState.firstUnstableOffset;
    return unstable === undefined ? this.highWatermark : Math.min(unstable, this.highWatermark);
  }

  /**
   * The aborted transactions a read_committed fetch of [fetchOffset, upperBoundOffset) must
   * report (Apache `UnifiedLog.collectAbortedTransactions`): from the segment holding
   * `fetchOffset` onwards, until an entry proves later segments cannot overlap.
   */
  collectAbortedTxns(fetchOffset: number, upperBoundOffset: number): AbortedTxn[] {
    const out: AbortedTxn[] = [];
    for (let i = this.segmentFor(fetchOffset); i < this.segments.length; i++) {
      if (this.segments[i]!.txnIndex.collect(fetchOffset, upperBoundOffset, out)) break;
    }
    return out;
  }

  /** Every indexed aborted transaction (the log cleaner drops their data). */
  allAbortedTxns(): AbortedTxn[] {
    return this.segments.flatMap((s) => s.txnIndex.entries);
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

  /** Each segment's first offset (not below the log start), last write time and size. */
  segmentTimes(): Array<{ firstOffset: number; lastModified: number; size: number }> {
    return this.segments.map((s) => ({ firstOffset: Math.max(s.baseOffset, this.logStartOffset), lastModified: s.lastModified, size: s.size }));
  }

  /**
   * Appends validated, contiguous batches (`spans` = [position, size] within `records`),
   * assigning offsets from the LEO and stamping each batch in place. Each batch takes
   * lastOffsetDelta+1 offsets, read from its header: nothing is decompressed. Producer
   * state checks what `origin` calls for first: a refused append throws ProducerStateError
   * and writes nothing; a client's retry of a retained batch writes nothing and answers with
   * the original offsets.
   */
  append(records: Buffer, spans: Array<[number, number]>, leaderEpoch: number, now: number, origin: AppendOrigin = 'replication'): AppendResult {
    const logAppendTime = this.config.messageTimestampType === 'LogAppendTime' ? now : -1;
    const baseOffset = this.logEndOffset;
    const producerBatches: ProducerBatch[] = [];
    let next = baseOffset;
    for (const [pos, size] of spans) {
      const batch = producerBatchAt(records, pos, size, next);
      if (batch && batch.producerId >= 0) producerBatches.push(batch);
      next += records.readInt32BE(pos + BatchField.lastOffsetDelta) + 1;
    }
    const analysis = producerBatches.length ? this.producerState.analyze(producerBatches, origin) : undefined;
    // Apache answers a duplicate with the original offsets and the original batch's timestamp as its append time.
    if (analysis?.duplicate) {
      const d = analysis.duplicate;
      return { baseOffset: d.firstOffset, lastOffset: d.lastOffset, logAppendTime: d.timestamp, duplicate: true };
    }

    next = baseOffset;
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
    const segment = this.activeSegment;
    segment.append(bytes, baseOffset, next - 1, maxTimestamp, now);
    if (analysis) {
      this.producerState.commit(analysis);
      for (const txn of analysis.completed) {
        if (!txn.aborted) continue;
        const lastStableOffset = this.producerState.lastStableOffsetAfter(txn);
        segment.txnIndex.append({ producerId: txn.producerId, firstOffset: txn.firstOffset, lastOffset: txn.lastOffset, lastStableOffset });
      }
    }
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

  /**
   * Starts a new active segment at the LEO (the old one is flushed: it will not change), with
   * a producer state snapshot at its base offset, so a recovery of the new segment replays
   * from there.
   */
  roll(): void {
    const active = this.activeSegment;
    if (active.isEmpty) return;
    this.syncSegment(active);
    this.producerState.takeSnapshot(this.logEndOffset);
    this.segments.push(LogSegment.create(this.dir, this.logEndOffset, this.config.indexIntervalBytes));
    // The new active segment has nothing on disk yet; the one before is flushed for good.
    this.journal?.record(this.activeSegment.path, 0);
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
    if (deleted > 0) this.producerState.deleteSnapshotsBefore(this.segments[0]!.baseOffset);
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
    for (const s of this.segments) if (s.nextOffset > this.recoveryPoint || s === this.activeSegment) this.syncSegment(s);
    this.recoveryPoint = this.logEndOffset;
    this.unflushedMessages = 0;
    this.lastFlushTime = this.now();
  }

  /**
   * fsyncs a segment and, for the active one, journals how far it is durable. With
   * skip-fsync (off unless `--inject-bug`) the flush counts as done but never reaches the
   * disk, and the journal, which says what the disk holds, stays where it was.
   */
  private syncSegment(segment: LogSegment): void {
    if (this.skipFsync) return;
    segment.flush();
    if (segment === this.activeSegment) this.journal?.record(segment.path, segment.size);
  }

  /** Clean shutdown: a producer state snapshot at the LEO makes the next start replay nothing. */
  snapshotProducerState(): void {
    this.producerState.takeSnapshot(this.logEndOffset);
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
