import type { StateKey } from './model.js';

/**
 * Value identity for models: JSON-like data (what the history readers produce) compared by
 * structure. Object keys are sorted so `{a,b}` and `{b,a}` are one value.
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
    .join(',')}}`;
}

/** A primitive that identifies a value: numbers, booleans and null stand for themselves. */
export function valueKey(value: unknown): StateKey {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return canonicalJson(value); // strings come out quoted, so they never collide with JSON of arrays or objects
}

export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || a === null) return b === undefined || b === null;
  if (typeof a !== 'object' || typeof b !== 'object' || b === null) return false;
  return canonicalJson(a) === canonicalJson(b);
}

/** Values as Jepsen prints them: nil, 3, "s", [1 2], {:k v}. */
export function showValue(value: unknown): string {
  if (value === undefined || value === null) return 'nil';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(showValue).join(' ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k} ${showValue(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}

export function isUnknownValue(value: unknown): boolean {
  return value === null || value === undefined;
}
