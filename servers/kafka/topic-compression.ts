import { CompressionType, parseCompressionName } from '../../protocols/kafka/records/compression/compression-type.js';
import { decodeRecordBatch, encodeRecordBatch } from '../../protocols/kafka/records/record-batch.js';
import { compressionOf } from '../../protocols/kafka/records/record-batch-header.js';
import { BatchField } from '../../protocols/kafka/records/record-batch-layout.js';
import { ErrorCode } from '../../protocols/kafka/error-codes.js';
import { reject } from './produce-rejection.js';
import type { LogConfig } from './log/log-config.js';
import type { ProduceCheck, ProduceTarget } from './produce-validation.js';

/** What recompression reads of a topic's config. */
export type TopicCompression = Pick<LogConfig, 'compressionType' | 'compressionGzipLevel' | 'compressionLz4Level' | 'compressionZstdLevel'>;

/** Bits 0–2 of a batch's attributes name its codec. */
const CODEC_BITS = 0x07;

/**
 * The codec a topic stores its batches in (`compression.type`), or null for `producer`:
 * keep whatever codec the producer used. `uncompressed` stores batches uncompressed.
 */
export function storedCodecOf(compressionType: string): number | null {
  const v = compressionType.trim().toLowerCase();
  if (v === 'producer') return null;
  if (v === 'uncompressed') return CompressionType.none;
  const name = parseCompressionName(v);
  return name === undefined ? null : CompressionType[name];
}

/**
 * The batch as the topic stores it: unchanged when the topic keeps the producer's codec or
 * the batch already uses the topic's; otherwise its records recompressed in the topic's codec
 * (Apache's LogValidator rebuilds the batch the same way: records, timestamps, headers, the
 * producer id, epoch and sequence, the transactional flag and the timestamp type all kept),
 * at the topic's level for that codec (KIP-390; lz4's level is not applied, see lz4-codec.ts).
 * The batch must already have passed the produce checks.
 */
export async function inTopicCodec(batch: Buffer, config: TopicCompression): Promise<Buffer> {
  const target = storedCodecOf(config.compressionType);
  const attributes = batch.readInt16BE(BatchField.attributes);
  if (target === null || compressionOf(attributes) === target) return batch;
  const decoded = await decodeRecordBatch(batch, 0, { verifyCrc: false });
  return encodeRecordBatch({
    baseOffset: decoded.baseOffset,
    partitionLeaderEpoch: decoded.partitionLeaderEpoch,
    attributes: (attributes & ~CODEC_BITS) | target,
    lastOffsetDelta: decoded.lastOffsetDelta,
    baseTimestamp: decoded.baseTimestamp,
    maxTimestamp: decoded.maxTimestamp,
    producerId: decoded.producerId,
    producerEpoch: decoded.producerEpoch,
    baseSequence: decoded.baseSequence,
    records: decoded.records,
  }, levelOf(target, config));
}

/** The level the topic sets for `codec` (compression.<codec>.level), or undefined for the codec's default. */
function levelOf(codec: number, config: TopicCompression): number | undefined {
  if (codec === CompressionType.gzip) return config.compressionGzipLevel;
  if (codec === CompressionType.zstd) return config.compressionZstdLevel;
  if (codec === CompressionType.lz4) return config.compressionLz4Level;
  return undefined;
}

/**
 * The accepted batch in the codec the topic stores (`compression.type`), checked again
 * against max.message.bytes when recompression changed its size, as UnifiedLog.append does.
 */
export async function storedAs(records: Buffer, target: ProduceTarget): Promise<ProduceCheck> {
  let stored: Buffer;
  try {
    stored = await inTopicCodec(records, target.config);
  } catch (err) {
    return reject('batch', ErrorCode.INVALID_RECORD, `cannot decode the batch: ${(err as Error).message} in topic partition ${target.topicPartition}`);
  }
  if (stored !== records && stored.length > target.config.maxMessageBytes) {
    return reject('request', ErrorCode.MESSAGE_TOO_LARGE, `Message batch size is ${stored.length} bytes in append to partition ${target.topicPartition} which exceeds the maximum configured size of ${target.config.maxMessageBytes}.`);
  }
  return { ok: true, records: stored, size: stored.length };
}
