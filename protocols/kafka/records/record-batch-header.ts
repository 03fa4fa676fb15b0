import { KafkaCodecError } from '../codec-error.js';
import { Attribute, BATCH_HEADER_BYTES, BatchField } from './record-batch-layout.js';
import { readInt64 } from './varint.js';

/** The 61-byte header of a record batch v2, decoded. Offsets and ids are numbers (exact to 2^53). */
export interface RecordBatchHeader {
  baseOffset: number;
  /** Bytes after the batchLength field; the whole batch is batchLength + 12 bytes. */
  batchLength: number;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  lastOffsetDelta: number;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordsCount: number;
}

export function readRecordBatchHeader(buf: Buffer, pos = 0): RecordBatchHeader {
  if (pos + BATCH_HEADER_BYTES > buf.length) {
    throw new KafkaCodecError(`truncated record batch header: ${buf.length - pos} of ${BATCH_HEADER_BYTES} bytes`);
  }
  return {
    baseOffset: readInt64(buf, pos + BatchField.baseOffset),
    batchLength: buf.readInt32BE(pos + BatchField.batchLength),
    partitionLeaderEpoch: buf.readInt32BE(pos + BatchField.partitionLeaderEpoch),
    magic: buf.readInt8(pos + BatchField.magic),
    crc: buf.readUInt32BE(pos + BatchField.crc),
    attributes: buf.readInt16BE(pos + BatchField.attributes),
    lastOffsetDelta: buf.readInt32BE(pos + BatchField.lastOffsetDelta),
    baseTimestamp: readInt64(buf, pos + BatchField.baseTimestamp),
    maxTimestamp: readInt64(buf, pos + BatchField.maxTimestamp),
    producerId: readInt64(buf, pos + BatchField.producerId),
    producerEpoch: buf.readInt16BE(pos + BatchField.producerEpoch),
    baseSequence: buf.readInt32BE(pos + BatchField.baseSequence),
    recordsCount: buf.readInt32BE(pos + BatchField.recordsCount),
  };
}

export function compressionOf(attributes: number): number {
  return attributes & Attribute.compressionMask;
}
export function isTransactional(attributes: number): boolean {
  return (attributes & Attribute.transactional) !== 0;
}
export function isControl(attributes: number): boolean {
  return (attributes & Attribute.control) !== 0;
}
export function isLogAppendTime(attributes: number): boolean {
  return (attributes & Attribute.logAppendTime) !== 0;
}
export function hasDeleteHorizon(attributes: number): boolean {
  return (attributes & Attribute.deleteHorizon) !== 0;
}

export function lastOffsetOf(header: Pick<RecordBatchHeader, 'baseOffset' | 'lastOffsetDelta'>): number {
  return header.baseOffset + header.lastOffsetDelta;
}
