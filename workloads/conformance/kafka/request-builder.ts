import type { KafkaApi } from '../../../protocols/kafka/api-catalog.js';
import type { FieldSpec } from '../../../protocols/kafka/schema/message-schema.js';
import { versionInRange } from '../../../protocols/kafka/schema/version-range.js';
import { consumerAssignment, consumerSubscription } from '../../../protocols/kafka/consumer-protocol.js';
import { encodeRecordsSpec, payloadBytes, type PayloadSpec, type ResolvedBatchSpec } from './record-batch-spec.js';
import { resolveValue, type ScenarioScope } from './scenario-scope.js';

/**
 * Turns a step's `body` (YAML values) into the codec's input for one API version, field by
 * field along the request schema: `$references` resolved, int64 fields as bigints, bytes
 * from text, hex or consumer-protocol helpers (`consumerSubscription`, `consumerAssignment`), `records` fields encoded as record batches.
 *
 * Topics are addressed by name up to some version and by id after (Produce 13, Fetch 13):
 * when a body names a topic in a version that only has its id (or the reverse), the other
 * one is filled in from the topics the scenario knows, so one body works at every version.
 */
export async function buildRequestBody(api: KafkaApi, version: number, body: Record<string, unknown>, scope: ScenarioScope): Promise<Record<string, unknown>> {
  return buildStruct(api.request.fields, body, version, scope, api.name);
}

/** Bytes helpers of the consumer protocol, usable in any `bytes` field. */
export interface ConsumerBytesSpec {
  consumerSubscription?: { topics: string[]; userData?: PayloadSpec };
  consumerAssignment?: { topics: Array<{ topic: string; partitions: number[] }>; userData?: PayloadSpec };
}

async function buildStruct(fields: readonly FieldSpec[], input: Record<string, unknown>, version: number, scope: ScenarioScope, at: string): Promise<Record<string, unknown>> {
  const byName = new Map(fields.map((f) => [f.name, f]));
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(input)) {
    const field = byName.get(key);
    if (!field) throw new Error(`${at}: no field ${key} (fields: ${fields.map((f) => f.name).join(', ')})`);
    out[key] = await buildField(field, raw, version, scope, `${at}.${key}`);
  }
  fillTopicAddress(fields, out, version, scope);
  return out;
}

async function buildField(field: FieldSpec, raw: unknown, version: number, scope: ScenarioScope, at: string): Promise<unknown> {
  const payload = field.type === 'records' || field.type === 'bytes' || field.type === '[]bytes';
  // Structs resolve their own fields as they are built; payload specs are resolved whole.
  const value = typeof raw === 'string' || payload ? resolveValue(raw, scope, payload) : raw;
  if (value === null) return null;
  if (field.type === 'struct') return buildStruct(field.fields ?? [], expectRecord(value, at), version, scope, at);
  if (field.type === '[]struct') {
    if (!Array.isArray(value)) throw new Error(`${at}: expected a list`);
    return Promise.all(value.map((v, i) => buildStruct(field.fields ?? [], expectRecord(v, `${at}[${i}]`), version, scope, `${at}[${i}]`)));
  }
  if (field.type.startsWith('[]')) {
    if (!Array.isArray(value)) throw new Error(`${at}: expected a list`);
    const element = field.type.slice(2) as FieldSpec['type'];
    return Promise.all(value.map((v, i) => buildField({ ...field, type: element }, v, version, scope, `${at}[${i}]`)));
  }
  return scalar(field.type, value, scope, at);
}

async function scalar(type: FieldSpec['type'], value: unknown, scope: ScenarioScope, at: string): Promise<unknown> {
  switch (type) {
    case 'int64':
    case 'varlong':
      if (typeof value === 'bigint') return value;
      if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
      if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
      throw new Error(`${at}: expected an integer, got ${JSON.stringify(value)}`);
    case 'bool':
      if (typeof value !== 'boolean') throw new Error(`${at}: expected true or false`);
      return value;
    case 'string':
    case 'uuid':
      if (type === 'string' && isSizeSpec(value)) return 'x'.repeat(value.size);
      if (typeof value !== 'string') throw new Error(`${at}: expected a string, got ${JSON.stringify(value)}`);
      return value;
    case 'bytes':
      return bytesOf(value, at);
    case 'records':
      return encodeRecordsSpec(numbersIn(value) as ResolvedBatchSpec, Number(scope.now), scope.clientTimestamps);
    default:
      if (typeof value === 'bigint') return Number(value);
      if (typeof value !== 'number') throw new Error(`${at}: expected a number, got ${JSON.stringify(value)}`);
      return value;
  }
}

/** `{size: N}`: a string of N 'x' (long metadata, long names). */
export function isSizeSpec(v: unknown): v is { size: number } {
  return typeof v === 'object' && v !== null && Object.keys(v).length === 1 && Number.isInteger((v as { size?: unknown }).size);
}

function bytesOf(value: unknown, at: string): Buffer {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (typeof value === 'object' && value !== null) {
    const spec = value as ConsumerBytesSpec & { hex?: string; size?: number };
    if (spec.consumerSubscription) return consumerSubscription(spec.consumerSubscription.topics, payloadBytes(spec.consumerSubscription.userData));
    if (spec.consumerAssignment) return consumerAssignment(spec.consumerAssignment.topics, payloadBytes(spec.consumerAssignment.userData));
    if (spec.hex !== undefined || spec.size !== undefined) return payloadBytes(spec as PayloadSpec)!;
  }
  throw new Error(`${at}: bytes are text, {hex}, {size}, {consumerSubscription: {topics}} or {consumerAssignment: {topics: [{topic, partitions}]}}`);
}

/** Batch specs take plain numbers (producer ids from responses are bigints). */
function numbersIn(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(numbersIn);
  if (typeof v === 'object' && v !== null && !Buffer.isBuffer(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, numbersIn(x)]));
  return v;
}

function expectRecord(v: unknown, at: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${at}: expected an object`);
  return v as Record<string, unknown>;
}

/** Name ↔ id for structs that address a topic by name in some versions and by id in others. */
function fillTopicAddress(fields: readonly FieldSpec[], out: Record<string, unknown>, version: number, scope: ScenarioScope): void {
  const idField = fields.find((f) => f.name === 'topicId' && f.type === 'uuid');
  const nameField = fields.find((f) => (f.name === 'name' || f.name === 'topic') && f.type === 'string');
  if (!idField || !nameField) return;
  const hasId = versionInRange(idField.versions, version);
  const hasName = versionInRange(nameField.versions, version);
  if (hasId && !hasName && out.topicId === undefined && typeof out[nameField.name] === 'string') {
    const id = scope.topicIds.get(out[nameField.name] as string);
    if (id !== undefined) out.topicId = id;
  }
  if (hasName && !hasId && out[nameField.name] === undefined && typeof out.topicId === 'string') {
    for (const [name, id] of scope.topicIds) if (id === out.topicId) out[nameField.name] = name;
  }
}
