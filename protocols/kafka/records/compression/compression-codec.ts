/**
 * One compression codec of record batch v2. Everything after the 61-byte batch header
 * (the records) is compressed as one unit. Async because zstd's encoder is WebAssembly
 * that loads lazily and gzip runs on libuv's thread pool.
 */
export interface CompressionCodec {
  readonly name: string;
  /** `level` is the codec's own scale (Kafka's compression.<codec>.level); undefined = its default. */
  compress(data: Buffer, level?: number): Promise<Buffer>;
  decompress(data: Buffer): Promise<Buffer>;
}
