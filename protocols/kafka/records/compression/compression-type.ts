/** The codec id in bits 0–2 of a record batch's attributes. */
export const CompressionType = {
  none: 0,
  gzip: 1,
  snappy: 2,
  lz4: 3,
  zstd: 4,
} as const;
export type CompressionType = (typeof CompressionType)[keyof typeof CompressionType];

export type CompressionName = keyof typeof CompressionType;

const byId = new Map<number, CompressionName>(
  Object.entries(CompressionType).map(([name, id]) => [id, name as CompressionName]),
);

export function compressionName(id: number): CompressionName | undefined {
  return byId.get(id);
}

/** `compression.type` values a topic or producer config may carry (Apache accepts these). */
export function parseCompressionName(value: string): CompressionName | undefined {
  const v = value.trim().toLowerCase();
  return v in CompressionType ? (v as CompressionName) : undefined;
}
