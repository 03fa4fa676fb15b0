import type { FieldSpec, MessageSpec } from '../../../../protocols/kafka/schema/message-schema.js';
import { versionInRange } from '../../../../protocols/kafka/schema/version-range.js';

/**
 * Builds a message value for `spec` at `version` in which every field that exists in that
 * version holds a non-default value (so a round trip exercises every field), and fields that
 * do not exist are left out. `seed` varies the values between calls.
 */
export function sampleMessage(spec: MessageSpec, version: number, seed = 1): Record<string, unknown> {
  return sampleStruct(spec.fields, version, seed);
}

function sampleStruct(fields: readonly FieldSpec[], version: number, seed: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  fields.forEach((f, i) => {
    if (!versionInRange(f.versions, version)) return;
    out[f.name] = sampleValue(f, version, seed * 31 + i);
  });
  return out;
}

function sampleValue(f: FieldSpec, version: number, seed: number): unknown {
  if (f.type === 'struct') return sampleStruct(f.fields!, version, seed);
  if (f.type === '[]struct') return [sampleStruct(f.fields!, version, seed), sampleStruct(f.fields!, version, seed + 1)];
  if (f.type.startsWith('[]')) {
    const el = f.type.slice(2) as FieldSpec['type'];
    return [sampleScalar(el, seed), sampleScalar(el, seed + 1)];
  }
  return sampleScalar(f.type, seed);
}

function sampleScalar(type: string, seed: number): unknown {
  const s = Math.abs(seed % 1000) + 3;
  switch (type) {
    case 'bool':
      return true;
    case 'int8':
      return (s % 120) + 2;
    case 'int16':
      return 300 + s;
    case 'uint16':
      return 65000 + (s % 500);
    case 'int32':
    case 'varint':
      return 70_000 + s;
    case 'uint32':
      return 4_000_000_000 + s;
    case 'int64':
    case 'varlong':
      return 1_234_567_890_123n + BigInt(s);
    case 'float64':
      return 1.5 + s;
    case 'string':
      return `name-${s}-ü`;
    case 'uuid':
      return Buffer.from(Array.from({ length: 16 }, (_, i) => (i * 17 + s) & 0xff)).toString('base64url');
    case 'bytes':
      return Buffer.from([1, 2, 3, s & 0xff]);
    case 'records':
      return Buffer.from(`records-${s}`);
  }
  throw new Error(`no sample for type ${type}`);
}
