import { gunzip, gzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { CompressionCodec } from './compression-codec.js';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

export const gzipCodec: CompressionCodec = {
  name: 'gzip',
  compress: (data) => gzipAsync(data),
  // Java's GZIPInputStream and zlib both accept concatenated gzip members; so does gunzip.
  decompress: (data) => gunzipAsync(data),
};
