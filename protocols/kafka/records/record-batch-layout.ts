/**
 * Byte layout of the record batch v2 header (Apache `DefaultRecordBatch`). Every field
 * has a fixed offset, so the broker can stamp offsets, leader epochs and LogAppendTime
 * without decoding (or decompressing) the records.
 */
export const BatchField = {
  baseOffset: 0, // int64
  batchLength: 8, // int32: bytes after this field
  partitionLeaderEpoch: 12, // int32, outside the CRC so the leader can stamp it
  magic: 16, // int8 = 2
  crc: 17, // uint32 CRC-32C of attributes..end
  attributes: 21, // int16
  lastOffsetDelta: 23, // int32
  baseTimestamp: 27, // int64
  maxTimestamp: 35, // int64
  producerId: 43, // int64
  producerEpoch: 51, // int16
  baseSequence: 53, // int32
  recordsCount: 57, // int32
} as const;

export const BATCH_HEADER_BYTES = 61;
/** baseOffset + batchLength: what precedes the part that batchLength counts. */
export const BATCH_LOG_OVERHEAD = 12;
/** The CRC covers from the attributes to the end of the batch. */
export const CRC_START = BatchField.attributes;
export const CURRENT_MAGIC = 2;

export const Attribute = {
  compressionMask: 0x07,
  logAppendTime: 0x08,
  transactional: 0x10,
  control: 0x20,
  deleteHorizon: 0x40,
} as const;

export const NO_PRODUCER_ID = -1;
export const NO_PRODUCER_EPOCH = -1;
export const NO_SEQUENCE = -1;
export const NO_PARTITION_LEADER_EPOCH = -1;
export const NO_TIMESTAMP = -1;

export const TimestampType = {
  createTime: 'CreateTime',
  logAppendTime: 'LogAppendTime',
} as const;
export type TimestampType = (typeof TimestampType)[keyof typeof TimestampType];
