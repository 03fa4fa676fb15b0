/**
 * A znode's bytes, kept as a one-byte (latin1) string: V8 stores it inline in the heap at
 * 16 bytes of header, where a Buffer costs a ~72-byte view object plus its bytes elsewhere.
 * latin1 maps every byte 0-255 to one code unit, so the round trip is exact. null is Java's
 * `byte[] null` (zkCli `create /a` sends it), which reads back as null.
 */
export type ZnodeData = string | null;

export function toZnodeData(bytes: Uint8Array | null): ZnodeData {
  if (bytes === null) return null;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

export function znodeDataBytes(data: ZnodeData): Buffer | null {
  return data === null ? null : Buffer.from(data, 'latin1');
}
