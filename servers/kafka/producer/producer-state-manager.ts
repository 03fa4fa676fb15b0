import { readdirSync, rmSync } from 'node:fs';
import { ErrorCode } from '../../../protocols/kafka/error-codes.js';
import { type BatchMetadata, ProducerStateEntry } from './producer-state-entry.js';
import { ProducerStateError } from './producer-state-error.js';
import { parseSnapshotFileName, readProducerSnapshot, snapshotPath, writeProducerSnapshot } from './producer-snapshot-file.js';
import { NO_SEQUENCE, inSequence, incrementSequence } from './sequence-numbers.js';

/**
 * Who appends, which decides how much is checked (Apache `AppendOrigin`): clients get epoch
 * and sequence checks and duplicate detection; coordinators (offset commits, markers) get
 * epoch checks only; replication (replaying our own log at startup) is trusted.
 */
export type AppendOrigin = 'client' | 'coordinator' | 'replication';

/** The producer-relevant facts of one batch about to be appended (offsets already assigned). */
export interface ProducerBatch {
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  firstOffset: number;
  lastOffset: number;
  maxTimestamp: number;
  transactional: boolean;
  /** For a control batch: the end-transaction marker it carries. */
  marker?: { commit: boolean; coordinatorEpoch: number };
}

export interface CompletedTxn {
  producerId: number;
  firstOffset: number;
  /** Offset of the marker. */
  lastOffset: number;
  aborted: boolean;
}

export interface ProducerAppendAnalysis {
  /** The batch repeats a retained one: answer with its offsets and append nothing. */
  duplicate?: BatchMetadata;
  updates: Map<number, ProducerStateEntry>;
  completed: CompletedTxn[];
}

/**
 * Per-partition producer state (Apache `ProducerStateManager` with `ProducerAppendInfo`):
 * the entry of every producer id that wrote here, the open transactions (whose first
 * offsets bound the last stable offset), validation of appends, and snapshots in Apache's
 * `.snapshot` format taken at segment rolls and clean shutdown.
 */
export class ProducerStateManager {
  private readonly producers = new Map<number, ProducerStateEntry>();
  /** Producer id → first offset of its open transaction. */
  private readonly ongoing = new Map<number, number>();

  constructor(
    readonly dir: string,
    private readonly label: string,
  ) {}

  get(producerId: number): ProducerStateEntry | undefined {
    return this.producers.get(producerId);
  }

  all(): ProducerStateEntry[] {
    return [...this.producers.values()];
  }

  /** First offset of the oldest open transaction, or undefined. */
  get firstUnstableOffset(): number | undefined {
    let min: number | undefined;
    for (const o of this.ongoing.values()) if (min === undefined || o < min) min = o;
    return min;
  }

  hasOngoingTransaction(producerId: number): boolean {
    return this.ongoing.has(producerId);
  }

  /** Validates batches about to be appended; throws ProducerStateError. Changes nothing. */
  analyze(batches: ProducerBatch[], origin: AppendOrigin): ProducerAppendAnalysis {
    const updates = new Map<number, ProducerStateEntry>();
    const completed: CompletedTxn[] = [];
    for (const b of batches) {
      if (b.producerId < 0) continue;
      const current = this.producers.get(b.producerId);
      if (origin === 'client' && current && !b.marker) {
        const lastSeq = incrementSequence(b.baseSequence, b.lastOffset - b.firstOffset);
        const duplicate = current.findDuplicate(b.producerEpoch, b.baseSequence, lastSeq);
        if (duplicate) return { duplicate, updates: new Map(), completed: [] };
      }
      const entry = updates.get(b.producerId) ?? current?.clone() ?? new ProducerStateEntry(b.producerId);
      this.checkEpoch(entry, b, origin);
      if (b.marker) {
        if (origin !== 'replication' && entry.coordinatorEpoch > b.marker.coordinatorEpoch) {
          throw new ProducerStateError(
            ErrorCode.TRANSACTION_COORDINATOR_FENCED,
            `Invalid coordinator epoch for producerId ${b.producerId} at offset ${b.firstOffset} in ${this.label}: ${b.marker.coordinatorEpoch} (zombie), ${entry.coordinatorEpoch} (current)`,
          );
        }
        if (entry.currentTxnFirstOffset !== undefined) {
          completed.push({ producerId: b.producerId, firstOffset: entry.currentTxnFirstOffset, lastOffset: b.firstOffset, aborted: !b.marker.commit });
        }
        entry.applyMarker(b.producerEpoch, b.marker.coordinatorEpoch, b.maxTimestamp);
      } else {
        if (origin === 'client') this.checkSequence(entry, current, b);
        const lastSeq = incrementSequence(b.baseSequence, b.lastOffset - b.firstOffset);
        entry.addBatch(b.producerEpoch, lastSeq, b.lastOffset, b.lastOffset - b.firstOffset, b.maxTimestamp);
        if (entry.currentTxnFirstOffset !== undefined && !b.transactional && origin !== 'replication') {
          throw new ProducerStateError(
            ErrorCode.INVALID_TXN_STATE,
            `Expected transactional write from producer ${b.producerId} at offset ${b.firstOffset} in partition ${this.label}`,
          );
        }
        if (entry.currentTxnFirstOffset === undefined && b.transactional) entry.currentTxnFirstOffset = b.firstOffset;
      }
      updates.set(b.producerId, entry);
    }
    return { updates, completed };
  }

  private checkEpoch(entry: ProducerStateEntry, b: ProducerBatch, origin: AppendOrigin): void {
    if (origin !== 'replication' && b.producerEpoch < entry.producerEpoch) {
      throw new ProducerStateError(
        ErrorCode.INVALID_PRODUCER_EPOCH,
        `Epoch of producer ${b.producerId} at offset ${b.firstOffset} in ${this.label} is ${b.producerEpoch}, which is smaller than the last seen epoch ${entry.producerEpoch}`,
      );
    }
  }

  /** Apache `ProducerAppendInfo.checkSequence`, against the entry as updated so far in this append. */
  private checkSequence(entry: ProducerStateEntry, current: ProducerStateEntry | undefined, b: ProducerBatch): void {
    const seq = b.baseSequence;
    if (b.producerEpoch !== entry.producerEpoch) {
      if (seq !== 0 && entry.producerEpoch !== -1) {
        throw new ProducerStateError(
          ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
          `Invalid sequence number for new epoch of producer ${b.producerId} at offset ${b.firstOffset} in partition ${this.label}: ${b.producerEpoch} (request epoch), ${seq} (seq. number), ${entry.producerEpoch} (current producer epoch)`,
        );
      }
      return;
    }
    const currentEpoch = current?.producerEpoch ?? -1;
    // A producer this partition knows nothing of (new, or its state expired) may start anywhere.
    if (currentEpoch === -1) return;
    const lastSeq = entry.isEmpty ? NO_SEQUENCE : entry.lastSeq;
    if (!inSequence(lastSeq, seq)) {
      throw new ProducerStateError(
        ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
        `Out of order sequence number for producer ${b.producerId} at offset ${b.firstOffset} in partition ${this.label}: ${seq} (incoming seq. number), ${lastSeq} (current end sequence number)`,
      );
    }
  }

  /** The last stable offset once `txn` completes: the oldest other open transaction, else after the marker. */
  lastStableOffsetAfter(txn: CompletedTxn): number {
    let min: number | undefined;
    for (const [pid, o] of this.ongoing) if (pid !== txn.producerId && (min === undefined || o < min)) min = o;
    return min ?? txn.lastOffset + 1;
  }

  /** Applies an analysis after the batches were written. */
  commit(analysis: ProducerAppendAnalysis): void {
    for (const [pid, entry] of analysis.updates) {
      this.producers.set(pid, entry);
      if (entry.currentTxnFirstOffset !== undefined) this.ongoing.set(pid, entry.currentTxnFirstOffset);
      else this.ongoing.delete(pid);
    }
  }

  /** Producer ids idle longer than producer.id.expiration.ms without an open transaction are forgotten. */
  removeExpired(now: number, expirationMs: number): number {
    let removed = 0;
    for (const [pid, e] of this.producers) {
      if (e.currentTxnFirstOffset === undefined && e.lastTimestamp >= 0 && now - e.lastTimestamp > expirationMs) {
        this.producers.delete(pid);
        removed++;
      }
    }
    return removed;
  }

  private snapshotOffsets(): number[] {
    return readdirSync(this.dir)
      .map(parseSnapshotFileName)
      .filter((o): o is number => o !== undefined)
      .sort((a, b) => a - b);
  }

  takeSnapshot(offset: number): void {
    writeProducerSnapshot(snapshotPath(this.dir, offset), this.producers.values());
  }

  /**
   * Loads the newest readable snapshot at or below `maxOffset`, deleting snapshots above it
   * (they describe a log that no longer exists, or one being recovered) and unreadable ones.
   * Returns the offset replay must start from, or undefined when there is no snapshot.
   */
  loadSnapshot(maxOffset: number): number | undefined {
    this.producers.clear();
    this.ongoing.clear();
    const offsets = this.snapshotOffsets();
    for (const o of offsets) if (o > maxOffset) rmSync(snapshotPath(this.dir, o), { force: true });
    for (const o of offsets.filter((x) => x <= maxOffset).reverse()) {
      try {
        for (const e of readProducerSnapshot(snapshotPath(this.dir, o))) {
          this.producers.set(e.producerId, e);
          if (e.currentTxnFirstOffset !== undefined) this.ongoing.set(e.producerId, e.currentTxnFirstOffset);
        }
        return o;
      } catch {
        rmSync(snapshotPath(this.dir, o), { force: true });
        this.producers.clear();
        this.ongoing.clear();
      }
    }
    return undefined;
  }

  /** Snapshots below `offset` are of deleted segments (the one at `offset` is kept). */
  deleteSnapshotsBefore(offset: number): void {
    for (const o of this.snapshotOffsets()) if (o < offset) rmSync(snapshotPath(this.dir, o), { force: true });
  }
}
