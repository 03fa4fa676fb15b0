import { ZERO_UUID } from '../../../protocols/kafka/schema/compile-codec.js';
import type { JsonValue } from '../conformance-result.js';
import { describe, isErrorCodeKey, printable } from './expectation-match.js';

/**
 * Makes two brokers' answers to the same scenario comparable. Per scenario run:
 *
 * - throttle times and error messages are dropped (codes are compared, texts are not);
 *   error codes become names;
 * - cluster ids, hosts and ports are masked; node ids become `node1, node2, …` in order of
 *   appearance (-1 stays);
 * - topic ids become `id($t)` for the scenario's topics, other ids `uuid1, …`; the zero
 *   uuid stays;
 * - member ids (`memberId`, JoinGroup's `leader`) become `member1, …` and producer ids
 *   `pid1, …` in order of appearance; producer epochs `epoch1, …` by first appearance of each
 *   value (-1 stays);
 * - real, run-unique names become the scenario's `$t`;
 * - timestamps the scenario wrote itself become `$now±d`; other times (log append time,
 *   transaction start) `<time>`; -1 stays;
 * - bytes are text when printable, else `bytes:` with `\xNN` escapes (names inside replaced);
 *   int64s are numbers;
 * - lists whose order is unspecified (topics, partitions, groups, members, configs, brokers,
 *   API keys, ...) are sorted by their identifying field; entries of listing responses that
 *   belong to neither the scenario nor its request (other tenants of the broker, internal
 *   topics) are dropped.
 */
export interface NormaliserContext {
  /** Real name → declared name (`kzc-…-t` → `t`). */
  names: ReadonlyMap<string, string>;
  /** Real topic name → id, as the run learned them. */
  topicIds: ReadonlyMap<string, string>;
  /** The scenario's base time (ms). */
  now: bigint;
  /** Timestamps the scenario's requests carried (record create times). */
  clientTimestamps: ReadonlySet<bigint>;
}

const dropped = new Set(['throttleTimeMs', 'errorMessage', 'batchIndexErrorMessage', 'unknownTaggedFields']);
const nodeKeys = new Set(['nodeId', 'leaderId', 'controllerId', 'brokerId', 'coordinatorId']);
const nodeListKeys = new Set(['replicaNodes', 'isrNodes', 'offlineReplicas', 'eligibleLeaderReplicas', 'lastKnownElr', 'replicas', 'isr']);
const memberKeys = new Set(['memberId', 'leader']);
/** Fields identifying a list element, in order of preference, for sorting. */
const identityKeys = ['name', 'topic', 'groupId', 'transactionalId', 'memberId', 'groupInstanceId', 'partitionIndex', 'partition', 'index', 'apiKey', 'nodeId', 'brokerId', 'resourceType'];
/** Lists whose order carries meaning: never sorted. */
const orderedLists = new Set(['synonyms', 'headers', 'records', 'batches', 'recordErrors', 'protocols']);

export class KafkaNormaliser {
  private readonly labels = new Map<string, string>();
  private readonly counters = new Map<string, number>();

  constructor(private readonly ctx: NormaliserContext) {}

  /**
   * One step's observation. `requested` holds the strings of the step's request, so that
   * entities the step asked about are kept even when the scenario does not own them.
   */
  normalise(value: unknown, requested: ReadonlySet<string> = new Set()): JsonValue {
    return this.value(value, '', undefined, requested);
  }

  private label(kind: string, raw: string): string {
    const key = `${kind}:${raw}`;
    let l = this.labels.get(key);
    if (l === undefined) {
      const n = (this.counters.get(kind) ?? 0) + 1;
      this.counters.set(kind, n);
      l = `${kind}${n}`;
      this.labels.set(key, l);
    }
    return l;
  }

  private value(v: unknown, key: string, parent: Record<string, unknown> | undefined, requested: ReadonlySet<string>): JsonValue {
    if (v === null || v === undefined) return null;
    if (Buffer.isBuffer(v)) return this.bytes(v);
    if (Array.isArray(v)) return this.list(v, key, requested);
    if (typeof v === 'object') return this.object(v as Record<string, unknown>, requested);
    if (typeof v === 'bigint' || typeof v === 'number') return this.number(v, key, parent);
    if (typeof v === 'string') return this.string(v, key, parent);
    if (typeof v === 'boolean') return v;
    return String(v);
  }

  private object(o: Record<string, unknown>, requested: ReadonlySet<string>): JsonValue {
    const out: { [k: string]: JsonValue } = {};
    for (const [k, v] of Object.entries(o)) {
      if (dropped.has(k)) continue;
      out[k] = this.value(v, k, o, requested);
    }
    return out;
  }

  private list(items: unknown[], key: string, requested: ReadonlySet<string>): JsonValue {
    if (nodeListKeys.has(key)) return items.map((n) => this.node(n as number));
    const kept = items.filter((item) => this.belongs(item, key, requested));
    const values = kept.map((item) => this.value(item, key, undefined, requested));
    if (orderedLists.has(key)) return values;
    const id = identityOf(values);
    if (id === undefined) return values;
    return [...values].sort((a, b) => compareJson((a as Record<string, JsonValue>)[id], (b as Record<string, JsonValue>)[id]));
  }

  /** Whether a listed entity is the scenario's (or asked about); other tenants and internal topics are not. */
  private belongs(item: unknown, listKey: string, requested: ReadonlySet<string>): boolean {
    if (typeof item !== 'object' || item === null || Array.isArray(item) || Buffer.isBuffer(item)) return true;
    const o = item as Record<string, unknown>;
    const entity = typeof o.groupId === 'string' ? o.groupId : typeof o.transactionalId === 'string' ? o.transactionalId : listKey === 'topics' ? (o.name ?? o.topic) : undefined;
    if (typeof entity !== 'string') return true;
    return this.ctx.names.has(entity) || requested.has(entity);
  }

  private number(v: number | bigint, key: string, parent: Record<string, unknown> | undefined): JsonValue {
    if (isErrorCodeKey(key)) return describe(Number(v), key);
    if (nodeKeys.has(key)) return this.node(Number(v));
    if (key === 'port') return '<port>';
    if (key === 'producerId' && v >= 0) return this.label('pid', String(v));
    if (key === 'producerEpoch' && v >= 0) return this.label('epoch', String(v));
    if (isTimeKey(key) && v > 0) return this.time(BigInt(v));
    if (key === 'resourceName' && parent?.resourceType === 4) return this.node(Number(v));
    return typeof v === 'bigint' ? (v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString()) : v;
  }

  private string(v: string, key: string, parent: Record<string, unknown> | undefined): JsonValue {
    if (key === 'clusterId') return '<cluster>';
    if (key === 'host' || key === 'clientHost') return '<host>';
    if (memberKeys.has(key)) return v === '' ? '' : this.label('member', v);
    if (key === 'resourceName' && parent?.resourceType === 4 && /^\d+$/.test(v)) return this.node(Number(v));
    if (key === 'topicId' || key.endsWith('TopicId')) return this.uuid(v);
    const declared = this.ctx.names.get(v);
    if (declared !== undefined) return `$${declared}`;
    return v;
  }

  /**
   * Bytes: text when printable; otherwise printable runs stay text and other bytes become
   * `\xNN`, so the names inside consumer-protocol payloads (subscriptions, assignments) can be
   * replaced by the scenario's `$t` like any other string.
   */
  private bytes(b: Buffer): JsonValue {
    if (printable(b)) return this.string(b.toString('utf8'), '', undefined);
    let text = '';
    for (const byte of b) text += byte >= 0x20 && byte < 0x7f && byte !== 0x5c ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`;
    for (const [real, declared] of this.ctx.names) text = text.split(real).join(`$${declared}`);
    return `bytes:${text}`;
  }

  private node(id: number): JsonValue {
    return id < 0 ? id : this.label('node', String(id));
  }

  private uuid(v: string): JsonValue {
    if (v === ZERO_UUID) return v;
    for (const [name, id] of this.ctx.topicIds) {
      if (id !== v) continue;
      const declared = this.ctx.names.get(name);
      return `id(${declared !== undefined ? `$${declared}` : name})`;
    }
    return this.label('uuid', v);
  }

  private time(v: bigint): JsonValue {
    if (!this.ctx.clientTimestamps.has(v)) return '<time>';
    const d = v - this.ctx.now;
    return d === 0n ? '$now' : d > 0n ? `$now+${d}` : `$now${d}`;
  }
}

function isTimeKey(key: string): boolean {
  return /timestamp$/i.test(key) || (key.endsWith('TimeMs') && key !== 'throttleTimeMs');
}

function identityOf(values: JsonValue[]): string | undefined {
  if (values.length < 2 || !values.every((v) => typeof v === 'object' && v !== null && !Array.isArray(v))) return undefined;
  const objects = values as Array<{ [k: string]: JsonValue }>;
  return identityKeys.find((k) => objects.every((o) => k in o));
}

function compareJson(a: JsonValue | undefined, b: JsonValue | undefined): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = JSON.stringify(a) ?? '';
  const y = JSON.stringify(b) ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Drops `a.b.c` paths (a step's `diffIgnore`) from a normalised value; a path goes through
 * lists element by element (`topics.partitions.leaderEpoch`).
 */
export function withoutPaths(value: JsonValue, paths: readonly string[]): JsonValue {
  if (paths.length === 0) return value;
  const copy = structuredClone(value);
  for (const path of paths) drop(copy, path.split('.'));
  return copy;
}

function drop(node: JsonValue, keys: string[]): void {
  if (Array.isArray(node)) {
    for (const e of node) drop(e, keys);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const [first, ...rest] = keys;
  if (first === undefined) return;
  if (rest.length === 0) delete node[first];
  else if (first in node) drop(node[first]!, rest);
}
