import { crc32c } from './crc32c.js';
import { Attribute, BatchField, CRC_START } from './record-batch-layout.js';
import { writeInt64 } from './varint.js';

/**
 * What a leader writes into a batch on append: the base offset and its leader epoch (both
 * outside the CRC), and for LogAppendTime topics the append time as maxTimestamp with the
 * timestamp-type bit (inside the CRC, so it is recomputed). Records are never touched, so
 * compressed batches are stamped without decompressing.
 */
export function stampBatch(
  buf: Buffer,
  pos: number,
  size: number,
  baseOffset: number,
  leaderEpoch: number,
  logAppendTime?: number,
): void {
  writeInt64(buf, pos + BatchField.baseOffset, baseOffset);
  buf.writeInt32BE(leaderEpoch, pos + BatchField.partitionLeaderEpoch);
  if (logAppendTime !== undefined) {
    const attributes = buf.readInt16BE(pos + BatchField.attributes);
    buf.writeInt16BE(attributes | Attribute.logAppendTime, pos + BatchField.attributes);
    writeInt64(buf, pos + BatchField.maxTimestamp, logAppendTime);
    buf.writeUInt32BE(crc32c(buf.subarray(pos + CRC_START, pos + size)), pos + BatchField.crc);
  }
}
