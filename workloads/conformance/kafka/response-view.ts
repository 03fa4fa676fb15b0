import type { FieldSpec } from '../../../protocols/kafka/schema/message-schema.js';
import { versionInRange } from '../../../protocols/kafka/schema/version-range.js';
import { viewRecordSet } from './records-view.js';

/**
 * A decoded response as expectations and the normaliser see it: only the fields the
 * response version has (a field a version lacks is not "0", it is absent), `records`
 * fields decoded into batches and records, unknown tagged fields dropped. Numbers stay
 * numbers and int64s bigints; bytes stay Buffers.
 */
export async function viewResponse(fields: readonly FieldSpec[], decoded: Record<string, unknown>, version: number): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    if (!versionInRange(field.versions, version)) continue;
    out[field.name] = await viewField(field, decoded[field.name], version);
  }
  return out;
}

async function viewField(field: FieldSpec, value: unknown, version: number): Promise<unknown> {
  if (value === null || value === undefined) return value ?? null;
  if (field.type === 'struct') return viewResponse(field.fields ?? [], value as Record<string, unknown>, version);
  if (field.type === '[]struct') return Promise.all((value as Record<string, unknown>[]).map((v) => viewResponse(field.fields ?? [], v, version)));
  if (field.type === 'records') return viewRecordSet(value as Buffer);
  if (Buffer.isBuffer(value)) return Buffer.from(value);
  return value;
}
