import { crc32 } from 'node:zlib';
import { ErrorCode } from '../../protocols/kafka/error-codes.js';
import { codecFor } from '../../protocols/kafka/records/compression/codecs.js';
import { CompressionType } from '../../protocols/kafka/records/compression/compression-type.js';
import { encodeRecordBatch } from '../../protocols/kafka/records/record-batch.js';
import { NO_PARTITION_LEADER_EPOCH, NO_PRODUCER_EPOCH, NO_PRODUCER_ID, NO_SEQUENCE, NO_TIMESTAMP } from '../../protocols/kafka/records/record-batch-layout.js';
import type { Record } from '../../protocols/kafka/records/record.js';
import { type RecordError, reject, rejectKeyless, rejectRecords } from './produce-rejection.js';
import type { ProduceCheck, ProduceTarget } from './produce-validation.js';
import { storedAs } from './topic-compression.js';

/**
 * Message format v0/v1 (Kafka < 0.11), which Produce v0–2 may carry: a message set is a run of
 * `offset int64, size int32, crc uint32 (CRC-32 of magic..end), magic int8, attributes int8,
 * [timestamp int64 (v1)], key bytes, value bytes`. A compressed message is a wrapper whose
 * value is a compressed message set of inner messages. Apache 3.9 converts these to record
 * batch v2 on append (LogValidator); so does this broker, which stores only batch v2.
 */
const OFFSET_AND_SIZE = 12;
const MAGIC_AT = 16;
/** crc + magic + attributes + key length + value length: the smallest v0 message body. */
const MIN_MESSAGE_SIZE = 14;
const CODEC_MASK = 0x07;

interface LegacyMessage {
  magic: number;
  attributes: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  /** Bytes from offset to the end of the message, as Apache sizes a v0/v1 "batch". */
  size: number;
}

class LegacyFormatError extends Error {
  constructor(
    readonly errorCode: number,
    readonly stage: 'request' | 'batch',
    message: string,
  ) {
    super(message);
  }
}

/** True when the produced bytes start with a v0 or v1 message rather than a record batch v2. */
export function isLegacyMessageSet(records: Buffer): boolean {
  if (records.length <= MAGIC_AT) return false;
  const magic = records.readInt8(MAGIC_AT);
  return magic === 0 || magic === 1;
}

function readBytes(buf: Buffer, pos: number, end: number): { bytes: Buffer | null; next: number } {
  if (pos + 4 > end) throw new LegacyFormatError(ErrorCode.CORRUPT_MESSAGE, 'request', 'message truncated in its key or value length');
  const length = buf.readInt32BE(pos);
  if (length < 0) return { bytes: null, next: pos + 4 };
  if (pos + 4 + length > end) throw new LegacyFormatError(ErrorCode.CORRUPT_MESSAGE, 'request', `message key or value of ${length} bytes overruns the message`);
  return { bytes: buf.subarray(pos + 4, pos + 4 + length), next: pos + 4 + length };
}

/** Splits a v0/v1 message set into messages, checking each one's framing and CRC-32. */
function parseMessageSet(buf: Buffer, topicPartition: string): LegacyMessage[] {
  const out: LegacyMessage[] = [];
  let pos = 0;
  while (pos < buf.length) {
    if (pos + OFFSET_AND_SIZE > buf.length) throw new LegacyFormatError(ErrorCode.CORRUPT_MESSAGE, 'request', `message set truncated at byte ${pos}`);
    const size = buf.readInt32BE(pos + 8);
    const end = pos + OFFSET_AND_SIZE + size;
    if (size < MIN_MESSAGE_SIZE || end > buf.length) {
      throw new LegacyFormatError(ErrorCode.CORRUPT_MESSAGE, 'request', `message of ${size} bytes at byte ${pos} does not fit the message set`);
    }
    const stored = buf.readUInt32BE(pos + OFFSET_AND_SIZE);
    const actual = crc32(buf.subarray(pos + MAGIC_AT, end));
    if (stored !== actual) {
      throw new LegacyFormatError(ErrorCode.CORRUPT_MESSAGE, 'request', `Record is corrupt (stored crc = ${stored}, computed crc = ${actual}) in topic partition ${topicPartition}`);
    }
    const magic = buf.readInt8(pos + MAGIC_AT);
    if (magic !== 0 && magic !== 1) throw new LegacyFormatError(ErrorCode.CORRUPT_MESSAGE, 'request', `Invalid magic found in record: ${magic}`);
    const attributes = buf.readInt8(pos + MAGIC_AT + 1);
    let p = pos + MAGIC_AT + 2;
    let timestamp = NO_TIMESTAMP;
    if (magic === 1) {
      if (p + 8 > end) throw new LegacyFormatError(ErrorCode.CORRUPT_MESSAGE, 'request', 'message v1 truncated in its timestamp');
      timestamp = Number(buf.readBigInt64BE(p));
      p += 8;
    }
    const key = readBytes(buf, p, end);
    const value = readBytes(buf, key.next, end);
    if (value.next !== end) throw new LegacyFormatError(ErrorCode.CORRUPT_MESSAGE, 'request', `${end - value.next} bytes left after a message's value`);
    out.push({ magic, attributes, timestamp, key: key.bytes, value: value.bytes, size: size + OFFSET_AND_SIZE });
    pos = end;
  }
  return out;
}

/**
 * Converts a v0/v1 message set to one record batch v2 (the broker's log format), checking it
 * as Apache's LogValidator does: CRC-32 and framing (CORRUPT_MESSAGE), one magic throughout,
 * a compressed wrapper alone in its set with uncompressed inner messages of the same magic,
 * max.message.bytes per message, and keys on compacted topics. The batch keeps the
 * producer's codec unless the topic's compression.type names another (then it is recompressed).
 */
export async function convertLegacyMessageSet(records: Buffer, target: ProduceTarget): Promise<ProduceCheck> {
  const { topicPartition, config } = target;
  try {
    const outer = parseMessageSet(records, topicPartition);
    const first = outer[0]!;
    for (const m of outer) {
      if (m.magic !== first.magic) {
        throw new LegacyFormatError(ErrorCode.INVALID_RECORD, 'batch', `Batch magic ${m.magic} is not the same as the first batch's magic byte ${first.magic} in topic partition ${topicPartition}`);
      }
      if (m.size > config.maxMessageBytes) {
        throw new LegacyFormatError(ErrorCode.MESSAGE_TOO_LARGE, 'request', `The record batch size in the append to ${topicPartition} is ${m.size} bytes which exceeds the maximum configured value of ${config.maxMessageBytes}.`);
      }
    }
    const codec = first.attributes & CODEC_MASK;
    let messages = outer;
    const recordErrors: RecordError[] = [];
    if (codec !== CompressionType.none) {
      if (outer.length > 1) throw new LegacyFormatError(ErrorCode.INVALID_RECORD, 'batch', 'Compressed outer record has more than one batch');
      let inner: Buffer;
      try {
        inner = await codecFor(codec).decompress(first.value ?? Buffer.alloc(0));
      } catch (err) {
        throw new LegacyFormatError(ErrorCode.CORRUPT_MESSAGE, 'request', `cannot decompress the message set: ${(err as Error).message}`);
      }
      messages = parseMessageSet(inner, topicPartition);
      messages.forEach((m, batchIndex) => {
        if (m.magic !== first.magic) {
          recordErrors.push({ batchIndex, batchIndexErrorMessage: `Record's magic does not match outer magic ${first.magic} in topic partition ${topicPartition}` });
        } else if ((m.attributes & CODEC_MASK) !== CompressionType.none) {
          recordErrors.push({ batchIndex, batchIndexErrorMessage: 'Compressed outer record should not have an inner record with a compression attribute set' });
        }
      });
    }
    if (recordErrors.length > 0) return rejectRecords(recordErrors);
    if (config.cleanupPolicy.compact) {
      const keyless = rejectKeyless(messages.map((m) => m.key), topicPartition);
      if (keyless) return keyless;
    }
    return storedAs(await toRecordBatch(messages, codec), target);
  } catch (err) {
    if (!(err instanceof LegacyFormatError)) throw err;
    return reject(err.stage, err.errorCode, err.message);
  }
}

/** The messages as one v2 batch at offset 0 (the log assigns the real offsets), without producer id. */
function toRecordBatch(messages: LegacyMessage[], codec: number): Promise<Buffer> {
  const baseTimestamp = messages[0]!.timestamp;
  const records: Record[] = messages.map((m, i) => ({
    attributes: 0,
    timestampDelta: m.timestamp - baseTimestamp,
    offsetDelta: i,
    key: m.key,
    value: m.value,
    headers: [],
  }));
  return encodeRecordBatch({
    baseOffset: 0,
    partitionLeaderEpoch: NO_PARTITION_LEADER_EPOCH,
    attributes: codec,
    lastOffsetDelta: messages.length - 1,
    baseTimestamp,
    maxTimestamp: messages.reduce((max, m) => Math.max(max, m.timestamp), NO_TIMESTAMP),
    producerId: NO_PRODUCER_ID,
    producerEpoch: NO_PRODUCER_EPOCH,
    baseSequence: NO_SEQUENCE,
    records,
  });
}
