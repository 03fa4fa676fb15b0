import { gunzip, gzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { CompressionCodec } from './compression-codec.js';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

export const gzipCodec: CompressionCodec = {
  name: 'gzip',
  // Kafka's -1 is zlib's Z_DEFAULT_COMPRESSION (level 6), as Java's Deflater reads it.
  compress: (data, level) => gzipAsync(data, { level: level ?? -1 }),
  // Java's GZIPInputStream and zlib both accept concatenated gzip members; so does gunzip.
  decompress: (data) => gunzipAsync(data),
};
