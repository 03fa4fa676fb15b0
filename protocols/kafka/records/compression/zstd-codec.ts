import { decompress as zstdDecompress } from 'fzstd';
import type { Zstd } from '@hpcc-js/wasm-zstd';
import { KafkaCodecError } from '../../codec-error.js';
import type { CompressionCodec } from './compression-codec.js';

/**
 * Decoding uses fzstd (pure JS), which handles frames without a content size — the Java
 * client's streaming ZstdOutputStream writes those, and the WebAssembly decoder would
 * have to guess an output size. Encoding uses the reference zstd library compiled to
 * WebAssembly, loaded on first use.
 */
let encoder: Promise<Zstd> | undefined;

function loadEncoder(): Promise<Zstd> {
  encoder ??= import('@hpcc-js/wasm-zstd').then((m) => m.Zstd.load());
  return encoder;
}

/** zstd's default level, as librdkafka and the Java client use. */
const LEVEL = 3;

export const zstdCodec: CompressionCodec = {
  name: 'zstd',
  compress: async (data, level) => {
    const zstd = await loadEncoder();
    const out = zstd.compress(data, level ?? LEVEL);
    return Buffer.from(out.buffer, out.byteOffset, out.length);
  },
  decompress: async (data) => {
    try {
      const out = zstdDecompress(data);
      return Buffer.from(out.buffer, out.byteOffset, out.length);
    } catch (err) {
      throw new KafkaCodecError(`invalid zstd frame: ${(err as Error).message}`, { cause: err });
    }
  },
};
