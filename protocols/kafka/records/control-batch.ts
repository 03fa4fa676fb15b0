import { type EndTransactionMarker, endTransactionMarkerRecord } from './end-transaction-marker.js';
import { encodeRecordBatch } from './record-batch.js';
import { Attribute, NO_SEQUENCE } from './record-batch-layout.js';

export interface ControlBatchOptions {
  producerId: number;
  producerEpoch: number;
  timestamp: number;
  baseOffset?: number;
  partitionLeaderEpoch?: number;
}

/** A transactional control batch holding one COMMIT or ABORT marker (it takes one offset). */
export function buildControlBatch(marker: EndTransactionMarker, opts: ControlBatchOptions): Promise<Buffer> {
  return encodeRecordBatch({
    baseOffset: opts.baseOffset ?? 0,
    partitionLeaderEpoch: opts.partitionLeaderEpoch ?? -1,
    attributes: Attribute.transactional | Attribute.control,
    lastOffsetDelta: 0,
    baseTimestamp: opts.timestamp,
    maxTimestamp: opts.timestamp,
    producerId: opts.producerId,
    producerEpoch: opts.producerEpoch,
    baseSequence: NO_SEQUENCE,
    records: [endTransactionMarkerRecord(marker)],
  });
}
