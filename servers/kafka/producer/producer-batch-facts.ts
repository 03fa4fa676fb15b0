import { ControlRecordType, readEndTransactionMarker } from '../../../protocols/kafka/records/end-transaction-marker.js';
import { readRecord } from '../../../protocols/kafka/records/record.js';
import { compressionOf, isControl, isTransactional } from '../../../protocols/kafka/records/record-batch-header.js';
import { BATCH_HEADER_BYTES, BatchField } from '../../../protocols/kafka/records/record-batch-layout.js';
import { readInt64 } from '../../../protocols/kafka/records/varint.js';
import type { ProducerBatch } from './producer-state-manager.js';

/**
 * The end-transaction marker of the control batch at `pos` (control batches are written
 * uncompressed), or undefined when it holds none (Apache treats such a batch as a no-op).
 */
export function readControlMarker(buf: Buffer, pos: number, size: number): ProducerBatch['marker'] {
  const attributes = buf.readInt16BE(pos + BatchField.attributes);
  if (!isControl(attributes) || compressionOf(attributes) !== 0 || buf.readInt32BE(pos + BatchField.recordsCount) < 1) return undefined;
  try {
    const record = readRecord({ buf, pos: pos + BATCH_HEADER_BYTES, end: pos + size });
    const marker = readEndTransactionMarker(record);
    return { commit: marker.type === ControlRecordType.commit, coordinatorEpoch: marker.coordinatorEpoch };
  } catch {
    return undefined;
  }
}

/**
 * What producer state needs of the batch at `pos`, given the offset it is (or will be)
 * stored at; undefined for a control batch without a marker, which changes nothing.
 */
export function producerBatchAt(buf: Buffer, pos: number, size: number, firstOffset: number): ProducerBatch | undefined {
  const attributes = buf.readInt16BE(pos + BatchField.attributes);
  const marker = isControl(attributes) ? readControlMarker(buf, pos, size) : undefined;
  if (isControl(attributes) && !marker) return undefined;
  return {
    producerId: readInt64(buf, pos + BatchField.producerId),
    producerEpoch: buf.readInt16BE(pos + BatchField.producerEpoch),
    baseSequence: buf.readInt32BE(pos + BatchField.baseSequence),
    firstOffset,
    lastOffset: firstOffset + buf.readInt32BE(pos + BatchField.lastOffsetDelta),
    maxTimestamp: readInt64(buf, pos + BatchField.maxTimestamp),
    transactional: isTransactional(attributes),
    marker,
  };
}
