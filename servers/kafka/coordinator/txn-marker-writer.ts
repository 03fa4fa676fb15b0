import { ControlRecordType, endTransactionMarkerRecord } from '../../../protocols/kafka/records/end-transaction-marker.js';
import { encodeUncompressedRecordBatch } from '../../../protocols/kafka/records/record-batch.js';
import { Attribute, NO_PARTITION_LEADER_EPOCH } from '../../../protocols/kafka/records/record-batch-layout.js';
import { LogManager } from '../log/log-manager.js';
import type { AppendResult } from '../log/partition-log.js';
import { NO_SEQUENCE } from '../producer/sequence-numbers.js';
import type { CoordinatorLogs } from './coordinator-log.js';
import { GROUP_METADATA_TOPIC } from './internal-topics.js';

export interface TxnMarker {
  producerId: number;
  producerEpoch: number;
  commit: boolean;
  coordinatorEpoch: number;
}

/**
 * Writes a COMMIT or ABORT marker (a control batch) to one partition, as a partition leader
 * does on WriteTxnMarkers, and tells the group coordinator when the partition is one of
 * `__consumer_offsets` so transactional offsets become visible (or vanish). Throws
 * ProducerStateError for a stale producer or coordinator epoch.
 */
export function writeTxnMarker(
  logs: CoordinatorLogs,
  topic: string,
  partition: number,
  marker: TxnMarker,
  now: number,
  onOffsetsTxnCompleted: (producerId: number, partition: number, commit: boolean) => void,
): AppendResult {
  const log = logs.partitionLog(topic, partition);
  if (!log) throw new Error(`partition ${topic}-${partition} does not exist`);
  const batch = encodeUncompressedRecordBatch({
    baseOffset: 0,
    partitionLeaderEpoch: NO_PARTITION_LEADER_EPOCH,
    attributes: Attribute.transactional | Attribute.control,
    lastOffsetDelta: 0,
    baseTimestamp: now,
    maxTimestamp: now,
    producerId: marker.producerId,
    producerEpoch: marker.producerEpoch,
    baseSequence: NO_SEQUENCE,
    records: [endTransactionMarkerRecord({ type: marker.commit ? ControlRecordType.commit : ControlRecordType.abort, coordinatorEpoch: marker.coordinatorEpoch })],
  });
  const result = log.append(batch, [[0, batch.length]], logs.leaderEpoch, now, 'coordinator');
  logs.appends.notify(LogManager.key(topic, partition));
  if (topic === GROUP_METADATA_TOPIC) onOffsetsTxnCompleted(marker.producerId, partition, marker.commit);
  return result;
}
