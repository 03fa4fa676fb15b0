import type { AnyJuteType, RecordCodec } from '../../../../protocols/zookeeper/index.js';

/**
 * Deterministic sample values for any jute schema, walking the same descriptors the codec is
 * generated from, so every record gets exercised without a hand-written sample per record.
 * Variant 0 is "small and plain"; variants 1.. cycle through edge values (extremes of int and
 * long, null where the type allows it, multi-byte UTF-8, empty and larger vectors).
 */
const INTS = [0, 1, -1, 2147483647, -2147483648, 31, 1000];
const LONGS = [0n, 1n, -1n, 0x7fffffffffffffffn, -0x8000000000000000n, 0x1ab0c3d4e5f60718n, 4294967296n, 1_700_000_000_000n];
const STRINGS = ['/a', '', '/zookeeper/quota', '/ünïcödé/路径', 'x'.repeat(300), '/app/node-0000000042'];

export function sampleValue(type: AnyJuteType, variant: number): unknown {
  switch (type.kind) {
    case 'int':
      return INTS[variant % INTS.length];
    case 'long':
      return LONGS[variant % LONGS.length];
    case 'bool':
      return variant % 2 === 1;
    case 'ustring':
      return STRINGS[variant % STRINGS.length];
    case 'ustringOrNull':
      return variant % 3 === 2 ? null : STRINGS[variant % STRINGS.length];
    case 'buffer':
      if (variant % 4 === 3) return null;
      return Buffer.from(Array.from({ length: (variant * 37) % 200 }, (_, i) => (i * 7 + variant) & 0xff));
    case 'vector': {
      if (type.nullable && variant % 4 === 3) return null;
      const n = [1, 0, 3, 2][variant % 4]!;
      return Array.from({ length: n }, (_, i) => sampleValue(type.element, variant + i + 1));
    }
    case 'trailing':
      return variant % 2 === 0 ? undefined : sampleValue(type.inner, variant);
    case 'record':
      return sampleRecord(type, variant);
  }
}

export function sampleRecord<T>(codec: RecordCodec<T>, variant: number): T {
  const out: Record<string, unknown> = {};
  codec.fields.forEach((f, i) => {
    const v = sampleValue(f.type, variant + i);
    if (v !== undefined) out[f.name] = v;
  });
  return out as T;
}
