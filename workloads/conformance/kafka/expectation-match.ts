import { KAFKA_ERRORS, kafkaError } from '../../../protocols/kafka/error-codes.js';
import { checkRelation, parseRelation, type Operand, type OperandResolver } from '../relation-expression.js';
import { consumerAssignment, consumerSubscription } from '../../../protocols/kafka/consumer-protocol.js';
import { interpolate, parseReference, resolveReference, resolveValue, type ScenarioScope } from './scenario-scope.js';

/**
 * Partial matching of a response against a step's `expect` (already resolved for the
 * target's version):
 *
 * - objects: only the keys given are checked; a key the response lacks is a failure;
 * - lists: same length, element by element, unless written as a special form;
 * - error codes (fields named `errorCode`, `...ErrorCode`): a name (`UNKNOWN_TOPIC_OR_PARTITION`),
 *   a list of names (any of them), or the number;
 * - numbers: exactly, or a relation string (`>= 0`, `== $p.baseOffset + 1`, `<= highWatermark`,
 *   a sibling field);
 * - strings: exactly, after `${...}` interpolation; a whole `$reference` compares with its value;
 * - bytes (Buffers): a string compares with their UTF-8 text, `{hex}` with their bytes;
 * - special forms: `{includes: [...]}` (each matches a different element, others allowed),
 *   `{excludes: [...]}` (no element matches any), `{anyOrder: [...]}` (same elements, any
 *   order), `{length: N}` (N or a relation), `{oneOf: [...]}` (any alternative),
 *   `{match: "regex"}` (strings), `{not: X}` (anything X does not match), `{consumerSubscription:
 *   {topics}}` / `{consumerAssignment: {topics: [{topic, partitions}]}}` (bytes of the consumer
 *   protocol), combinable (`{includes: [...], length: 3}`).
 */
export function matchExpectation(expected: unknown, actual: unknown, scope: ScenarioScope): string[] {
  const problems: string[] = [];
  match(expected, actual, { scope: { ...scope, current: actual }, problems, path: '', key: '', parent: undefined });
  return problems;
}

interface MatchState {
  scope: ScenarioScope;
  problems: string[];
  /** Where in the response, for messages (`responses[0].partitionResponses[0].errorCode`). */
  path: string;
  /** The field name being matched (decides error-code handling). */
  key: string;
  /** The object holding the field, for sibling-field relations. */
  parent: Record<string, unknown> | undefined;
}

export const SPECIAL_FORMS = ['includes', 'excludes', 'anyOrder', 'length', 'oneOf', 'match', 'hex', 'not', 'consumerSubscription', 'consumerAssignment'] as const;
const special = new Set<string>(SPECIAL_FORMS);

export function isErrorCodeKey(key: string): boolean {
  return key === 'errorCode' || key.endsWith('ErrorCode');
}

/** True for `{includes: ...}`-style objects (every key a special form). */
export function isSpecialForm(v: unknown): v is Record<string, unknown> {
  return isRecord(v) && Object.keys(v).length > 0 && Object.keys(v).every((k) => special.has(k));
}

function match(expected: unknown, actual: unknown, st: MatchState): void {
  const fail = (message: string) => st.problems.push(`${st.path || 'response'}: ${message}`);
  if (isErrorCodeKey(st.key) && (typeof expected === 'string' || Array.isArray(expected)) && !isRelationText(expected)) {
    const names = Array.isArray(expected) ? (expected as string[]) : [expected];
    const codes = names.map(errorCodeOf);
    if (typeof actual !== 'number' || !codes.includes(actual)) fail(`expected ${names.join(' or ')}, got ${describe(actual, st.key)}`);
    return;
  }
  if (expected === null) {
    if (actual !== null) fail(`expected null, got ${describe(actual, st.key)}`);
    return;
  }
  if (typeof expected === 'boolean') {
    if (actual !== expected) fail(`expected ${expected}, got ${describe(actual, st.key)}`);
    return;
  }
  if (typeof expected === 'number') {
    if (!isNumeric(actual) || BigInt(actual) !== BigInt(expected)) fail(`expected ${expected}, got ${describe(actual, st.key)}`);
    return;
  }
  if (typeof expected === 'string') {
    matchString(expected, actual, st, fail);
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) {
      fail(`expected a list of ${expected.length}, got ${describe(actual, st.key)}`);
      return;
    }
    if (actual.length !== expected.length) fail(`expected ${expected.length} elements, got ${actual.length}: ${describe(actual, st.key)}`);
    expected.forEach((e, i) => {
      if (i < actual.length) match(e, actual[i], { ...st, path: `${st.path}[${i}]` });
    });
    return;
  }
  if (isSpecialForm(expected)) {
    matchSpecial(expected, actual, st, fail);
    return;
  }
  if (isRecord(expected)) {
    if (!isRecord(actual) || Buffer.isBuffer(actual)) {
      fail(`expected an object, got ${describe(actual, st.key)}`);
      return;
    }
    for (const [k, e] of Object.entries(expected)) {
      const path = st.path === '' ? k : `${st.path}.${k}`;
      if (!(k in actual)) {
        st.problems.push(`${path}: the response has no such field (it has ${Object.keys(actual).join(', ') || 'none'})`);
        continue;
      }
      match(e, actual[k], { ...st, path, key: k, parent: actual });
    }
    return;
  }
  fail(`cannot use ${JSON.stringify(expected)} as an expectation`);
}

function matchString(expected: string, actual: unknown, st: MatchState, fail: (m: string) => void): void {
  if (isRelationText(expected)) {
    if (!isNumeric(actual)) {
      fail(`expected a number ${expected}, got ${describe(actual, st.key)}`);
      return;
    }
    let relation;
    try {
      relation = parseRelation(expected);
    } catch (e) {
      fail((e as Error).message);
      return;
    }
    const why = checkRelation(relation, BigInt(actual), resolverFor(st));
    if (why !== null) fail(why);
    return;
  }
  let want: unknown;
  const ref = parseReference(expected);
  try {
    if (ref) {
      const r = resolveReference(ref, st.scope);
      if ('unresolved' in r) {
        fail(`cannot evaluate ${expected}: ${r.unresolved}`);
        return;
      }
      want = r.value;
    } else want = interpolate(expected, st.scope);
  } catch (e) {
    fail((e as Error).message);
    return;
  }
  if (!sameValue(want, actual)) fail(`expected ${describe(want, st.key)}${ref ? ` (${expected})` : ''}, got ${describe(actual, st.key)}`);
}

function matchSpecial(expected: Record<string, unknown>, actual: unknown, st: MatchState, fail: (m: string) => void): void {
  for (const [form, e] of Object.entries(expected)) {
    switch (form) {
      case 'oneOf': {
        const alternatives = e as unknown[];
        const ok = alternatives.some((alt) => {
          const probe: string[] = [];
          match(alt, actual, { ...st, problems: probe });
          return probe.length === 0;
        });
        if (!ok) fail(`matches none of ${alternatives.length} alternatives; got ${describe(actual, st.key)}`);
        break;
      }
      case 'match':
        if (typeof actual !== 'string' || !new RegExp(e as string).test(actual)) fail(`expected to match /${e as string}/, got ${describe(actual, st.key)}`);
        break;
      case 'not': {
        const probe: string[] = [];
        match(e, actual, { ...st, problems: probe });
        if (probe.length === 0) fail(`expected anything but ${describe(e, st.key)}, got ${describe(actual, st.key)}`);
        break;
      }
      case 'consumerSubscription':
      case 'consumerAssignment': {
        let want: Buffer;
        try {
          want = consumerBytes(form, resolveValue(e, st.scope, true));
        } catch (err) {
          fail((err as Error).message);
          break;
        }
        if (!Buffer.isBuffer(actual) || !actual.equals(want)) fail(`expected the ${form === 'consumerSubscription' ? 'subscription' : 'assignment'} ${describe(e, '')} (hex ${want.toString('hex')}), got ${describe(actual, st.key)}`);
        break;
      }
      case 'hex':
        if (!Buffer.isBuffer(actual) || actual.toString('hex') !== (e as string).toLowerCase()) fail(`expected hex ${e as string}, got ${describe(actual, st.key)}`);
        break;
      case 'length': {
        if (!Array.isArray(actual)) {
          fail(`expected a list, got ${describe(actual, st.key)}`);
          break;
        }
        match(e, actual.length, { ...st, path: `${st.path}.length`, key: 'length', parent: undefined });
        break;
      }
      case 'includes':
      case 'excludes':
      case 'anyOrder': {
        if (!Array.isArray(actual)) {
          fail(`expected a list, got ${describe(actual, st.key)}`);
          break;
        }
        const wanted = e as unknown[];
        const fits = (w: unknown, a: unknown) => {
          const probe: string[] = [];
          match(w, a, { ...st, problems: probe });
          return probe.length === 0;
        };
        if (form === 'excludes') {
          for (const w of wanted) {
            const hit = actual.find((a) => fits(w, a));
            if (hit !== undefined) fail(`expected no element like ${describe(w, st.key)}, found ${describe(hit, st.key)}`);
          }
          break;
        }
        if (form === 'anyOrder' && wanted.length !== actual.length) {
          fail(`expected ${wanted.length} elements in any order, got ${actual.length}: ${describe(actual, st.key)}`);
          break;
        }
        const assignment = assign(wanted, actual, fits);
        if (assignment === null) {
          // Name the first expected element nothing matches, with the reasons against the closest candidate.
          const lonely = wanted.findIndex((w) => !actual.some((a) => fits(w, a)));
          const detail = lonely >= 0 ? `element ${lonely} (${describe(wanted[lonely], st.key)}) matches none` : 'no one-to-one pairing exists';
          fail(`${form}: ${detail}; got ${describe(actual, st.key)}`);
        }
        break;
      }
    }
  }
}

/** A one-to-one pairing of expected elements with distinct actual ones (backtracking; lists are small). */
function assign(wanted: unknown[], actual: unknown[], fits: (w: unknown, a: unknown) => boolean): number[] | null {
  const used = new Set<number>();
  const pick: number[] = [];
  const go = (i: number): boolean => {
    if (i === wanted.length) return true;
    for (let j = 0; j < actual.length; j++) {
      if (used.has(j) || !fits(wanted[i], actual[j])) continue;
      used.add(j);
      pick.push(j);
      if (go(i + 1)) return true;
      used.delete(j);
      pick.pop();
    }
    return false;
  };
  return go(0) ? pick : null;
}

function resolverFor(st: MatchState): OperandResolver {
  return (operand: Operand) => {
    if (operand.kind === 'literal') return operand.value;
    if (operand.kind === 'field') {
      const v = st.parent?.[operand.name];
      return isNumeric(v) ? BigInt(v) : { unresolved: `no numeric field ${operand.name} next to ${st.key}` };
    }
    const r = resolveReference({ text: `$${[operand.name, ...operand.path].join('.')}`, name: operand.name, path: operand.path, offset: 0n }, st.scope);
    if ('unresolved' in r) return { unresolved: r.unresolved };
    return isNumeric(r.value) ? BigInt(r.value) : { unresolved: `$${[operand.name, ...operand.path].join('.')} is ${describe(r.value, '')}, not a number` };
  };
}

export function isRelationText(v: unknown): v is string {
  return typeof v === 'string' && /^\s*(==|!=|<=|>=|<|>)/.test(v);
}

export function errorCodeOf(name: string): number {
  const info = KAFKA_ERRORS.find((e) => e.name === name);
  if (!info) throw new Error(`unknown Kafka error ${name}`);
  return info.code;
}

function sameValue(want: unknown, actual: unknown): boolean {
  if (isNumeric(want) && isNumeric(actual)) return BigInt(want) === BigInt(actual);
  if (Buffer.isBuffer(actual)) return Buffer.isBuffer(want) ? want.equals(actual) : typeof want === 'string' && actual.toString('utf8') === want && Buffer.from(want, 'utf8').equals(actual);
  return want === actual;
}

function isNumeric(v: unknown): v is number | bigint {
  return typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A value for a message: error codes by name, bytes as text or hex, long values cut. */
export function describe(v: unknown, key: string): string {
  if (isErrorCodeKey(key) && typeof v === 'number') return codeName(v);
  const text = JSON.stringify(v, (k, x: unknown) => {
    if (typeof x === 'bigint') return x.toString();
    if (isRecord(x) && (x as { type?: unknown }).type === 'Buffer' && Array.isArray((x as { data?: unknown }).data)) {
      const b = Buffer.from((x as { data: number[] }).data);
      return printable(b) ? b.toString('utf8') : `hex:${b.toString('hex')}`;
    }
    if (isErrorCodeKey(k) && typeof x === 'number') return codeName(x);
    return x;
  });
  if (text === undefined) return String(v);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function codeName(code: number): string {
  try {
    return kafkaError(code).name;
  } catch {
    return `error ${code}`;
  }
}

export function printable(b: Buffer): boolean {
  const text = b.toString('utf8');
  return Buffer.from(text, 'utf8').equals(b) && !/[\u0000-\u0008\u000e-\u001f\u007f]/.test(text);
}

function consumerBytes(form: 'consumerSubscription' | 'consumerAssignment', spec: unknown): Buffer {
  const topics = (spec as { topics?: unknown }).topics;
  if (!Array.isArray(topics)) throw new Error(`a ${form} expectation needs topics: [...]`);
  return form === 'consumerSubscription' ? consumerSubscription(topics as string[]) : consumerAssignment(topics as Array<{ topic: string; partitions: number[] }>);
}
