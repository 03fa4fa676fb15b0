/** Record batch v2: layout, codec, checks, in-place stamping, control markers, compression. */
export * from './record-batch-layout.js';
export * from './record-batch-header.js';
export * from './record.js';
export * from './record-batch.js';
export * from './record-batch-check.js';
export * from './record-batch-stamp.js';
export * from './record-set.js';
export * from './end-transaction-marker.js';
export * from './control-batch.js';
export * from './corrupt-record-batch-error.js';
export * from './crc32c.js';
export * from './varint.js';
export * from './compression/compression-type.js';
export * from './compression/compression-codec.js';
export * from './compression/codecs.js';
export { snappyCodec, rawSnappyCodec, isXerialFramed } from './compression/snappy-codec.js';
