import { compressFrameSync, decompressFrameSync } from 'lz4-napi';
import { KafkaCodecError } from '../../codec-error.js';
import type { CompressionCodec } from './compression-codec.js';

/**
 * Record batch v2 uses the standard LZ4 frame format (the broken header checksum of
 * Kafka's pre-0.10 framing only concerns message format v0). lz4_flex has one speed, the
 * LZ4 default: a `level` (Kafka's compression.lz4.level, for LZ4-HC) is not applied.
 */
export const lz4Codec: CompressionCodec = {
  name: 'lz4',
  compress: async (data) => compressFrameSync(data),
  decompress: async (data) => {
    try {
      return decompressFrameSync(data);
    } catch (err) {
      throw new KafkaCodecError(`invalid lz4 frame: ${(err as Error).message}`, { cause: err });
    }
  },
};
