import { KafkaCodecError } from '../../codec-error.js';
import type { CompressionCodec } from './compression-codec.js';
import { CompressionType } from './compression-type.js';
import { gzipCodec } from './gzip-codec.js';
import { lz4Codec } from './lz4-codec.js';
import { snappyCodec } from './snappy-codec.js';
import { zstdCodec } from './zstd-codec.js';

const codecs: ReadonlyMap<number, CompressionCodec> = new Map<number, CompressionCodec>([
  [CompressionType.gzip, gzipCodec],
  [CompressionType.snappy, snappyCodec],
  [CompressionType.lz4, lz4Codec],
  [CompressionType.zstd, zstdCodec],
]);

/** The codec for a batch's compression id; `none` (0) has no codec. */
export function codecFor(type: number): CompressionCodec {
  const codec = codecs.get(type);
  if (!codec) throw new KafkaCodecError(`unknown compression codec id ${type} (valid: 1 gzip, 2 snappy, 3 lz4, 4 zstd)`);
  return codec;
}
