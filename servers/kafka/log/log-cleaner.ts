import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { encodeRecordBatch, decodeRecordBatch, type RecordBatch } from '../../../protocols/kafka/records/record-batch.js';
import { hasDeleteHorizon, isControl, isTransactional } from '../../../protocols/kafka/records/record-batch-header.js';
import { Attribute, BatchField } from '../../../protocols/kafka/records/record-batch-layout.js';
import type { Record } from '../../../protocols/kafka/records/record.js';
import { LogSegment } from './log-segment.js';
import type { PartitionLog } from './partition-log.js';
import { SegmentSuffix, segmentPath } from './segment-files.js';

export interface CleanResult {
  segmentsCleaned: number;
  recordsRemoved: number;
  /** Offset up to which the log is now clean (the cleaner checkpoint). */
  cleanedUpTo: number;
}

/**
 * Compaction for cleanup.policy=compact (Apache's LogCleaner, simplified to one segment
 * per output file): keeps the latest record of each key in the closed segments, removes
 * tombstones once their delete horizon (delete.retention.ms after the first cleaning that
 * saw them) has passed, discards the records of aborted transactions, never touches data at or
 * past the first open transaction, and keeps every batch's base offset and last offset delta,
 * so offsets never move and producer state still finds each batch's last sequence.
 */
export class LogCleaner {
  /** The cleaner checkpoint: per log, where the dirty part starts. */
  readonly cleanedUpTo = new Map<PartitionLog, number>();

  /** Whether the dirty ratio of the closed segments calls for a pass. */
  needsCleaning(log: PartitionLog, now: number): boolean {
    if (!log.config.cleanupPolicy.compact) return false;
    const closed = this.cleanableSegments(log, now);
    if (closed.length === 0) return false;
    const cleanUpTo = this.cleanedUpTo.get(log) ?? 0;
    let total = 0;
    let dirty = 0;
    for (const s of closed) {
      total += s.size;
      if (s.baseOffset >= cleanUpTo) dirty += s.size;
    }
    return total > 0 && dirty > 0 && dirty / total >= log.config.minCleanableDirtyRatio;
  }

  private cleanableSegments(log: PartitionLog, now: number): LogSegment[] {
    const out: LogSegment[] = [];
    // An open transaction's records may still be aborted: nothing from its first offset on is cleaned.
    const firstUnstable = log.producerState.firstUnstableOffset ?? Number.MAX_SAFE_INTEGER;
    for (const s of log.closedSegments()) {
      // min.compaction.lag.ms: records younger than the lag stay uncompacted.
      if (log.config.minCompactionLagMs > 0 && now - s.maxTimestamp < log.config.minCompactionLagMs) break;
      if (s.nextOffset > firstUnstable) break;
      out.push(s);
    }
    return out;
  }

  /** Whether a data batch belongs to an aborted transaction (its records are discarded). */
  private static abortedBatchTest(log: PartitionLog): (batch: RecordBatch) => boolean {
    const byProducer = new Map<number, Array<{ firstOffset: number; lastOffset: number }>>();
    for (const t of log.allAbortedTxns()) {
      let list = byProducer.get(t.producerId);
      if (!list) byProducer.set(t.producerId, (list = []));
      list.push(t);
    }
    return (batch) => {
      if (!isTransactional(batch.attributes) || isControl(batch.attributes)) return false;
      return byProducer.get(batch.producerId)?.some((t) => t.firstOffset <= batch.baseOffset && batch.baseOffset <= t.lastOffset) ?? false;
    };
  }

  private async *batchesOf(seg: LogSegment): AsyncGenerator<{ raw: Buffer; batch: RecordBatch }> {
    for (const loc of seg.batchesFrom(seg.baseOffset)) {
      const raw = seg.readAt(loc.position, loc.size);
      yield { raw, batch: await decodeRecordBatch(raw, 0, { verifyCrc: false }) };
    }
  }

  async clean(log: PartitionLog, now: number): Promise<CleanResult> {
    const segments = this.cleanableSegments(log, now);
    const isAborted = LogCleaner.abortedBatchTest(log);
    const latest = new Map<string, number>();
    for (const seg of segments) {
      for await (const { batch } of this.batchesOf(seg)) {
        if (isControl(batch.attributes) || isAborted(batch)) continue;
        for (const r of batch.records) if (r.key !== null) latest.set(r.key.toString('latin1'), batch.baseOffset + r.offsetDelta);
      }
    }
    let recordsRemoved = 0;
    let segmentsCleaned = 0;
    for (const seg of segments) {
      const out: Buffer[] = [];
      let changed = false;
      for await (const { raw, batch } of this.batchesOf(seg)) {
        const rewritten = await this.cleanBatch(raw, batch, latest, isAborted(batch), log.config.deleteRetentionMs, now);
        if (rewritten !== raw) changed = true;
        recordsRemoved += batch.records.length - (rewritten ? (rewritten === raw ? batch.records.length : keptCount(rewritten)) : 0);
        if (rewritten) out.push(rewritten);
      }
      if (!changed) continue;
      this.swapIn(log, seg.baseOffset, out);
      segmentsCleaned++;
    }
    const cleanedUpTo = segments.length ? segments[segments.length - 1]!.nextOffset : (this.cleanedUpTo.get(log) ?? 0);
    this.cleanedUpTo.set(log, cleanedUpTo);
    return { segmentsCleaned, recordsRemoved, cleanedUpTo };
  }

  /** The batch to keep: `raw` unchanged, a rewritten batch, or undefined to drop it. */
  private async cleanBatch(
    raw: Buffer,
    batch: RecordBatch,
    latest: Map<string, number>,
    aborted: boolean,
    deleteRetentionMs: number,
    now: number,
  ): Promise<Buffer | undefined> {
    // Markers stay: the transaction index and consumers' aborted lists refer to their offsets.
    if (isControl(batch.attributes)) return raw;
    const horizonSet = hasDeleteHorizon(batch.attributes);
    const horizonPassed = horizonSet && batch.baseTimestamp <= now;
    const kept: Record[] = [];
    let tombstones = 0;
    for (const r of batch.records) {
      const offset = batch.baseOffset + r.offsetDelta;
      if (aborted || (r.key !== null && latest.get(r.key.toString('latin1')) !== offset)) continue;
      if (r.value === null) {
        if (horizonPassed) continue;
        tombstones++;
      }
      kept.push(r);
    }
    const needsHorizon = tombstones > 0 && !horizonSet;
    if (kept.length === batch.records.length && !needsHorizon) return raw;
    // A producer's batch stays (empty if need be) so its sequence numbers survive replay.
    if (kept.length === 0 && batch.producerId < 0) return undefined;
    const logAppendTime = (batch.attributes & Attribute.logAppendTime) !== 0;
    const recordTimestamp = (r: Record) => (logAppendTime ? batch.maxTimestamp : batch.baseTimestamp + r.timestampDelta);
    let attributes = batch.attributes;
    let baseTimestamp = kept.length ? recordTimestamp(kept[0]!) : batch.baseTimestamp;
    if (needsHorizon || (horizonSet && tombstones > 0)) {
      // KIP-534: the delete horizon lives in baseTimestamp; record deltas are rebased on it.
      attributes |= Attribute.deleteHorizon;
      baseTimestamp = horizonSet ? batch.baseTimestamp : now + deleteRetentionMs;
    } else attributes &= ~Attribute.deleteHorizon;
    return encodeRecordBatch({
      baseOffset: batch.baseOffset,
      partitionLeaderEpoch: batch.partitionLeaderEpoch,
      attributes,
      lastOffsetDelta: batch.lastOffsetDelta,
      baseTimestamp,
      maxTimestamp: batch.maxTimestamp,
      producerId: batch.producerId,
      producerEpoch: batch.producerEpoch,
      baseSequence: batch.baseSequence,
      records: kept.map((r) => ({ ...r, timestampDelta: recordTimestamp(r) - baseTimestamp })),
    });
  }

  /**
   * Crash-safe replacement: write `.cleaned`, fsync, rename to `.swap` (the commit point),
   * then rename over the `.log`. PartitionLog's loader finishes an interrupted swap and
   * discards a `.cleaned`.
   */
  private swapIn(log: PartitionLog, baseOffset: number, batches: Buffer[]): void {
    const cleaned = segmentPath(log.dir, baseOffset, SegmentSuffix.cleaned);
    const swap = segmentPath(log.dir, baseOffset, SegmentSuffix.swap);
    const fd = openSync(cleaned, 'w');
    try {
      for (const b of batches) writeSync(fd, b);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(cleaned, swap);
    log.closeSegment(baseOffset);
    LogSegment.replaceFiles(log.dir, baseOffset, swap);
    log.reopenSegment(baseOffset);
  }
}

function keptCount(batch: Buffer): number {
  return batch.readInt32BE(BatchField.recordsCount);
}
