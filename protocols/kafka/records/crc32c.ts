import { crc32c as nativeCrc32c } from '@node-rs/crc32';

/**
 * CRC-32C (Castagnoli), the checksum of record batch v2. The native SSE4.2 implementation
 * runs ~6x faster than a slicing-by-8 table in JS, and the broker checks every produced batch.
 */
export function crc32c(data: Uint8Array): number {
  return nativeCrc32c(data) >>> 0;
}
