/**
 * What `$references` in a Kafka scenario can see while it runs, and how they resolve:
 *
 * - `$t` a declared name (topic, group, transactional id): its run-unique real name;
 *   `$t.id` a topic's id (known once the topic was created or listed);
 * - `$p.field` a saved step's response; a key the current object lacks is searched depth
 *   first below it, so `$p.baseOffset` is the first baseOffset anywhere in the response
 *   and `$p.responses.0.partitionResponses.1.baseOffset` a precise one;
 * - `$prev.field` the previous step's response, likewise; `$this.field` (in expectations)
 *   the response being checked;
 * - `$broker.nodeId` (`.host`, `.port`) the broker the scenario talks to;
 * - `$now` the scenario's base time (ms): record timestamps default to it;
 * - any numeric reference may add or subtract an integer: `$p.baseOffset + 1`, `$now - 60000`.
 *
 * `${...}` interpolates the same references into a longer string (`"${t}-copy"`).
 */
export const BUILTIN_REFERENCES = ['prev', 'this', 'broker', 'now'] as const;

export interface BrokerAddress {
  nodeId: number;
  host: string;
  port: number;
}

export interface ScenarioScope {
  /** Declared name → run-unique real name. */
  names: ReadonlyMap<string, string>;
  /** Real topic name → topic id, learned from responses (setup, CreateTopics, Metadata). */
  topicIds: Map<string, string>;
  saved: Map<string, unknown>;
  prev: unknown;
  /** The response an expectation is being checked against (`$this`). */
  current?: unknown;
  broker: BrokerAddress;
  /** The scenario's base time, ms since the epoch. */
  now: bigint;
  /** Record create times the scenario's requests carried. */
  clientTimestamps: Set<bigint>;
}

export interface Reference {
  text: string;
  name: string;
  path: string[];
  /** `+ N` / `- N` after the reference. */
  offset: bigint;
}

const referencePattern = /^\$([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z0-9_]+)*)(?:\s*([+-])\s*(\d+))?$/;
const interpolationPattern = /\$\{([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\}/g;

/** A whole-string reference (`$p.baseOffset + 1`), or undefined when the string is not one. */
export function parseReference(text: string): Reference | undefined {
  const m = referencePattern.exec(text.trim());
  if (!m) return undefined;
  const path = m[2] ? m[2].slice(1).split('.') : [];
  const offset = m[4] === undefined ? 0n : (m[3] === '-' ? -1n : 1n) * BigInt(m[4]);
  return { text, name: m[1]!, path, offset };
}

/** The references inside `${...}` of a string. */
export function interpolatedReferences(text: string): Reference[] {
  return [...text.matchAll(interpolationPattern)].map((m) => parseReference(`$${m[1]}`)!);
}

export type Resolved = { value: unknown } | { unresolved: string };

export function resolveReference(ref: Reference, scope: ScenarioScope): Resolved {
  const base = resolveBase(ref, scope);
  if ('unresolved' in base || ref.offset === 0n) return base;
  const v = base.value;
  if (typeof v === 'bigint') return { value: v + ref.offset };
  if (typeof v === 'number') return { value: v + Number(ref.offset) };
  return { unresolved: `${ref.text}: cannot add to ${describe(v)}` };
}

function resolveBase(ref: Reference, scope: ScenarioScope): Resolved {
  const { name, path } = ref;
  if (name === 'now') return path.length === 0 ? { value: scope.now } : { unresolved: `${ref.text}: $now has no fields` };
  if (name === 'broker') return walk(scope.broker, path, ref.text);
  const real = scope.names.get(name);
  if (real !== undefined) {
    if (path.length === 0) return { value: real };
    if (path.length === 1 && path[0] === 'id') {
      const id = scope.topicIds.get(real);
      return id === undefined ? { unresolved: `${ref.text}: the id of topic ${real} is not known (create or list it first)` } : { value: id };
    }
    return { unresolved: `${ref.text}: a name only has .id` };
  }
  if (name === 'prev') return scope.prev === undefined ? { unresolved: `${ref.text}: there is no previous response` } : walk(scope.prev, path, ref.text);
  if (name === 'this') return scope.current === undefined ? { unresolved: `${ref.text}: $this only exists in expectations` } : walk(scope.current, path, ref.text);
  if (scope.saved.has(name)) return walk(scope.saved.get(name), path, ref.text);
  return { unresolved: `${ref.text}: no name or saved step called ${name}` };
}

/** Follows `path`; a key the current object lacks is looked up depth first below it. */
function walk(root: unknown, path: readonly string[], text: string): Resolved {
  let v: unknown = root;
  for (const key of path) {
    if (Array.isArray(v) && /^\d+$/.test(key)) {
      if (Number(key) >= v.length) return { unresolved: `${text}: index ${key} is past the end (${v.length} elements)` };
      v = v[Number(key)];
      continue;
    }
    if (isRecord(v) && key in v) {
      v = v[key];
      continue;
    }
    const found = findDeep(v, key);
    if (found === undefined) return { unresolved: `${text}: no field ${key} in ${describe(v)}` };
    v = found.value;
  }
  return { value: v };
}

function findDeep(v: unknown, key: string): { value: unknown } | undefined {
  if (Array.isArray(v)) {
    for (const e of v) {
      const f = findDeep(e, key);
      if (f) return f;
    }
    return undefined;
  }
  if (!isRecord(v) || Buffer.isBuffer(v)) return undefined;
  if (key in v) return { value: v[key] };
  for (const child of Object.values(v)) {
    const f = findDeep(child, key);
    if (f) return f;
  }
  return undefined;
}

/** Replaces every `${ref}` of `text`; throws when one does not resolve. */
export function interpolate(text: string, scope: ScenarioScope): string {
  return text.replace(interpolationPattern, (_, inner: string) => {
    const r = resolveReference(parseReference(`$${inner}`)!, scope);
    if ('unresolved' in r) throw new Error(r.unresolved);
    return String(r.value);
  });
}

/**
 * Resolves `$references` (whole strings) and `${...}` interpolations everywhere in a value.
 * Inside record and bytes payloads only whole-string references resolve: a record value is
 * otherwise sent as written.
 */
export function resolveValue(raw: unknown, scope: ScenarioScope, payload = false): unknown {
  if (typeof raw === 'string') {
    const ref = parseReference(raw);
    if (ref) {
      const r = resolveReference(ref, scope);
      if ('unresolved' in r) throw new Error(r.unresolved);
      return r.value;
    }
    return payload ? raw : interpolate(raw, scope);
  }
  if (Array.isArray(raw)) return raw.map((v) => resolveValue(v, scope, payload));
  if (typeof raw === 'object' && raw !== null && !Buffer.isBuffer(raw)) {
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, resolveValue(v, scope, payload)]));
  }
  return raw;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (Buffer.isBuffer(v)) return `${v.length} bytes`;
  if (typeof v === 'object') return `an object with ${Object.keys(v).join(', ') || 'no fields'}`;
  return `${typeof v} ${String(v)}`;
}
