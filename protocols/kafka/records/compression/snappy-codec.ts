import snappy from 'snappy';
import { KafkaCodecError } from '../../codec-error.js';
import type { CompressionCodec } from './compression-codec.js';

/**
 * Kafka snappy comes in two framings: the Java client writes xerial snappy-java's stream
 * format (magic header, then int32-length-prefixed raw snappy blocks), librdkafka writes one
 * raw snappy block. Readers must accept both; we write xerial, which every client reads.
 */
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_BYTES = 16; // magic, int32 version, int32 minimum compatible version
const XERIAL_VERSION = 1;
/** snappy-java's SnappyOutputStream default block size. */
const XERIAL_BLOCK_BYTES = 32 * 1024;

export function isXerialFramed(data: Buffer): boolean {
  return data.length >= XERIAL_HEADER_BYTES && data.subarray(0, XERIAL_MAGIC.length).equals(XERIAL_MAGIC);
}

function uncompressRaw(block: Buffer): Buffer {
  try {
    return snappy.uncompressSync(block, { asBuffer: true }) as Buffer;
  } catch (err) {
    throw new KafkaCodecError(`invalid snappy data: ${(err as Error).message}`, { cause: err });
  }
}

export function decompressXerial(data: Buffer): Buffer {
  const blocks: Buffer[] = [];
  let pos = XERIAL_HEADER_BYTES;
  while (pos < data.length) {
    if (pos + 4 > data.length) throw new KafkaCodecError('truncated xerial snappy block length');
    const len = data.readInt32BE(pos);
    pos += 4;
    if (len < 0 || pos + len > data.length) throw new KafkaCodecError(`xerial snappy block of ${len} bytes overruns the data`);
    blocks.push(uncompressRaw(data.subarray(pos, pos + len)));
    pos += len;
  }
  return Buffer.concat(blocks);
}

export function compressXerial(data: Buffer): Buffer {
  const header = Buffer.alloc(XERIAL_HEADER_BYTES);
  XERIAL_MAGIC.copy(header);
  header.writeInt32BE(XERIAL_VERSION, 8);
  header.writeInt32BE(XERIAL_VERSION, 12);
  const parts: Buffer[] = [header];
  for (let pos = 0; pos < data.length; pos += XERIAL_BLOCK_BYTES) {
    const block = snappy.compressSync(data.subarray(pos, pos + XERIAL_BLOCK_BYTES));
    const len = Buffer.alloc(4);
    len.writeInt32BE(block.length);
    parts.push(len, block);
  }
  return Buffer.concat(parts);
}

export const snappyCodec: CompressionCodec = {
  name: 'snappy',
  compress: async (data) => compressXerial(data),
  decompress: async (data) => (isXerialFramed(data) ? decompressXerial(data) : uncompressRaw(data)),
};

/** librdkafka's framing: one raw snappy block. */
export const rawSnappyCodec: CompressionCodec = {
  name: 'snappy',
  compress: async (data) => snappy.compressSync(data),
  decompress: snappyCodec.decompress,
};
