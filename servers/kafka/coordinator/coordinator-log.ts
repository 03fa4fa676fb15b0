import { decodeRecordSet } from '../../../protocols/kafka/records/record-set.js';
import type { RecordBatch } from '../../../protocols/kafka/records/record-batch.js';
import { encodeUncompressedRecordBatch } from '../../../protocols/kafka/records/record-batch.js';
import { Attribute, NO_PARTITION_LEADER_EPOCH } from '../../../protocols/kafka/records/record-batch-layout.js';
import type { AppendNotifier } from '../append-notifier.js';
import { LogManager } from '../log/log-manager.js';
import type { AppendResult, PartitionLog } from '../log/partition-log.js';
import { NO_SEQUENCE } from '../producer/sequence-numbers.js';

/** What the coordinators need of the broker to read and write their internal topics. */
export interface CoordinatorLogs {
  partitionLog(topic: string, partition: number): PartitionLog | undefined;
  readonly leaderEpoch: number;
  readonly appends: AppendNotifier;
}

export interface KeyValue {
  key: Buffer;
  /** null is a tombstone. */
  value: Buffer | null;
}

export interface TransactionalProducer {
  producerId: number;
  producerEpoch: number;
}

/**
 * Appends coordinator records (offset commits, group metadata, transaction state) to an
 * internal topic partition as one uncompressed batch, synchronously: the caller validates and
 * writes in the same tick, so no other request can slip in between. With `producer`, the batch
 * is transactional (TxnOffsetCommit) and producer state checks its epoch (throws
 * ProducerStateError).
 */
export function appendCoordinatorRecords(logs: CoordinatorLogs, topic: string, partition: number, records: KeyValue[], now: number, producer?: TransactionalProducer): AppendResult {
  const log = logs.partitionLog(topic, partition);
  if (!log) throw new Error(`internal topic partition ${topic}-${partition} does not exist`);
  const batch = encodeUncompressedRecordBatch({
    baseOffset: 0,
    partitionLeaderEpoch: NO_PARTITION_LEADER_EPOCH,
    attributes: producer ? Attribute.transactional : 0,
    lastOffsetDelta: records.length - 1,
    baseTimestamp: now,
    maxTimestamp: now,
    producerId: producer?.producerId ?? -1,
    producerEpoch: producer?.producerEpoch ?? -1,
    baseSequence: NO_SEQUENCE,
    records: records.map((r, i) => ({ attributes: 0, timestampDelta: 0, offsetDelta: i, key: r.key, value: r.value, headers: [] })),
  });
  const result = log.append(batch, [[0, batch.length]], logs.leaderEpoch, now, 'coordinator');
  logs.appends.notify(LogManager.key(topic, partition));
  return result;
}

/** Every batch of a partition, decoded, in offset order (coordinators load their state from it at startup). */
export async function* readPartitionBatches(log: PartitionLog): AsyncGenerator<RecordBatch> {
  let offset = log.logStartOffset;
  const end = log.logEndOffset;
  while (offset < end) {
    const { records } = log.read(offset, 1 << 20, end);
    if (!records || records.length === 0) return;
    const batches = await decodeRecordSet(records, { verifyCrc: false });
    if (batches.length === 0) return;
    for (const b of batches) yield b;
    offset = batches[batches.length - 1]!.baseOffset + batches[batches.length - 1]!.lastOffsetDelta + 1;
  }
}
