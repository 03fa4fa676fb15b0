import { compressionName } from '../../../protocols/kafka/records/compression/compression-type.js';
import { batchSizeAt } from '../../../protocols/kafka/records/record-batch-check.js';
import { compressionOf, isControl, isLogAppendTime, isTransactional } from '../../../protocols/kafka/records/record-batch-header.js';
import { decodeRecordBatch } from '../../../protocols/kafka/records/record-batch.js';
import { readEndTransactionMarker } from '../../../protocols/kafka/records/end-transaction-marker.js';

/** One record as a scenario sees it: absolute offset and timestamp, raw key/value bytes. */
export interface RecordView {
  offset: bigint;
  timestamp: bigint;
  key: Buffer | null;
  value: Buffer | null;
  headers: Array<{ key: string; value: Buffer | null }>;
}

/** One batch of a fetched record set, decoded (CRC checked, decompressed). */
export interface BatchView {
  baseOffset: bigint;
  lastOffset: bigint;
  partitionLeaderEpoch: number;
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  transactional: boolean;
  control: boolean;
  compression: string;
  timestampType: 'CreateTime' | 'LogAppendTime';
  maxTimestamp: bigint;
  records: RecordView[];
  /** Control batches: the end-transaction marker. */
  marker?: { type: 'COMMIT' | 'ABORT'; coordinatorEpoch: number };
}

/**
 * A `records` field of a response, decoded batch by batch, as a consumer reads it. A
 * fetch may end in a partial batch (Apache cuts the set at the size limit); that tail is
 * not a batch, so it is reported as `partialBatchBytes` rather than decoded. A batch that
 * does not decode is reported as `undecodable` with the reason, never thrown.
 */
export interface RecordSetView {
  batches: BatchView[];
  partialBatchBytes?: number;
  undecodable?: string;
}

export async function viewRecordSet(buf: Buffer): Promise<RecordSetView> {
  const batches: BatchView[] = [];
  let pos = 0;
  try {
    for (;;) {
      const size = batchSizeAt(buf, pos);
      if (size < 0) break;
      batches.push(viewBatch(await decodeRecordBatch(buf, pos)));
      pos += size;
    }
  } catch (err) {
    return { batches, undecodable: (err as Error).message };
  }
  return pos < buf.length ? { batches, partialBatchBytes: buf.length - pos } : { batches };
}

function viewBatch(b: Awaited<ReturnType<typeof decodeRecordBatch>>): BatchView {
  const baseOffset = BigInt(b.baseOffset);
  const control = isControl(b.attributes);
  const timestampType = isLogAppendTime(b.attributes) ? 'LogAppendTime' : 'CreateTime';
  const view: BatchView = {
    baseOffset,
    lastOffset: baseOffset + BigInt(b.lastOffsetDelta),
    partitionLeaderEpoch: b.partitionLeaderEpoch,
    producerId: BigInt(b.producerId),
    producerEpoch: b.producerEpoch,
    baseSequence: b.baseSequence,
    transactional: isTransactional(b.attributes),
    control,
    compression: compressionName(compressionOf(b.attributes)) ?? `codec ${compressionOf(b.attributes)}`,
    timestampType,
    maxTimestamp: BigInt(b.maxTimestamp),
    records: b.records.map((r) => ({
      offset: baseOffset + BigInt(r.offsetDelta),
      // With LogAppendTime every record carries the batch's time.
      timestamp: timestampType === 'LogAppendTime' ? BigInt(b.maxTimestamp) : BigInt(b.baseTimestamp + r.timestampDelta),
      key: r.key,
      value: r.value,
      headers: r.headers,
    })),
  };
  if (control && b.records.length === 1) {
    try {
      const m = readEndTransactionMarker(b.records[0]!);
      view.marker = { type: m.type === 1 ? 'COMMIT' : 'ABORT', coordinatorEpoch: m.coordinatorEpoch };
    } catch {
      // Not an end-transaction marker (another control type): the record itself is shown.
    }
  }
  return view;
}
