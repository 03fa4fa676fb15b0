import { NO_SEQUENCE, decrementSequence } from './sequence-numbers.js';

/** One appended batch of a producer, as idempotence remembers it. */
export interface BatchMetadata {
  firstSeq: number;
  lastSeq: number;
  firstOffset: number;
  lastOffset: number;
  timestamp: number;
}

export const NO_PRODUCER_EPOCH = -1;
/** How many recent batches per producer and partition are kept for duplicate detection. */
export const BATCHES_TO_RETAIN = 5;

/**
 * What a partition remembers of one producer id (Apache `ProducerStateEntry`): its epoch,
 * its last five batches (sequence range and offsets), the epoch of the coordinator that
 * wrote its last transaction marker, and the first offset of its open transaction.
 */
export class ProducerStateEntry {
  batches: BatchMetadata[] = [];
  producerEpoch = NO_PRODUCER_EPOCH;
  coordinatorEpoch = -1;
  lastTimestamp = -1;
  /** First offset of the producer's ongoing transaction in this partition. */
  currentTxnFirstOffset: number | undefined;

  constructor(readonly producerId: number) {}

  clone(): ProducerStateEntry {
    const e = new ProducerStateEntry(this.producerId);
    e.batches = [...this.batches];
    e.producerEpoch = this.producerEpoch;
    e.coordinatorEpoch = this.coordinatorEpoch;
    e.lastTimestamp = this.lastTimestamp;
    e.currentTxnFirstOffset = this.currentTxnFirstOffset;
    return e;
  }

  get isEmpty(): boolean {
    return this.batches.length === 0;
  }

  get lastSeq(): number {
    return this.batches.length ? this.batches[this.batches.length - 1]!.lastSeq : NO_SEQUENCE;
  }

  get firstSeq(): number {
    return this.batches.length ? this.batches[0]!.firstSeq : NO_SEQUENCE;
  }

  get lastDataOffset(): number {
    return this.batches.length ? this.batches[this.batches.length - 1]!.lastOffset : -1;
  }

  get lastOffsetDelta(): number {
    const last = this.batches[this.batches.length - 1];
    return last ? last.lastOffset - last.firstOffset : 0;
  }

  /** A new epoch forgets the old epoch's batches. */
  maybeUpdateEpoch(epoch: number): void {
    if (this.producerEpoch !== epoch) {
      this.batches = [];
      this.producerEpoch = epoch;
    }
  }

  addBatch(epoch: number, lastSeq: number, lastOffset: number, offsetDelta: number, timestamp: number): void {
    this.maybeUpdateEpoch(epoch);
    if (this.batches.length === BATCHES_TO_RETAIN) this.batches.shift();
    this.batches.push({ firstSeq: decrementSequence(lastSeq, offsetDelta), lastSeq, firstOffset: lastOffset - offsetDelta, lastOffset, timestamp });
    this.lastTimestamp = timestamp;
  }

  /** A retained batch with exactly this epoch and sequence range: the batch is a retry. */
  findDuplicate(epoch: number, firstSeq: number, lastSeq: number): BatchMetadata | undefined {
    if (epoch !== this.producerEpoch) return undefined;
    return this.batches.find((b) => b.firstSeq === firstSeq && b.lastSeq === lastSeq);
  }

  /** A transaction marker ends the open transaction and may raise the epoch. */
  applyMarker(epoch: number, coordinatorEpoch: number, timestamp: number): void {
    this.maybeUpdateEpoch(epoch);
    this.coordinatorEpoch = coordinatorEpoch;
    this.currentTxnFirstOffset = undefined;
    this.lastTimestamp = timestamp;
  }
}
