import { UsageError } from '../../common/errors.js';
import { canonicalJson, showValue } from './model-values.js';

/**
 * An immutable, canonically ordered collection of values (sorted by canonical JSON), the state
 * of the set and unordered-queue models. `unique` makes it a set, otherwise a multiset.
 */
export type ValueBag = readonly (readonly [key: string, value: unknown])[];

export function bagFrom(values: readonly unknown[], unique: boolean): ValueBag {
  let bag: ValueBag = [];
  for (const v of values) bag = bagAdd(bag, v, unique);
  return bag;
}

export function bagAdd(bag: ValueBag, value: unknown, unique: boolean): ValueBag {
  const key = canonicalJson(value);
  const at = lowerBound(bag, key);
  if (unique && bag[at]?.[0] === key) return bag;
  return [...bag.slice(0, at), [key, value] as const, ...bag.slice(at)];
}

/** The bag without one copy of `value`, or undefined when it holds none. */
export function bagRemove(bag: ValueBag, value: unknown): ValueBag | undefined {
  const key = canonicalJson(value);
  const at = lowerBound(bag, key);
  if (bag[at]?.[0] !== key) return undefined;
  return [...bag.slice(0, at), ...bag.slice(at + 1)];
}

export function bagKey(bag: ValueBag): string {
  return `[${bag.map(([k]) => k).join(',')}]`;
}

export function showBag(bag: ValueBag, open = '#{', close = '}'): string {
  return `${open}${bag.map(([, v]) => showValue(v)).join(' ')}${close}`;
}

export function initialValues(model: string, init: unknown): unknown[] {
  if (init === undefined || init === null) return [];
  if (!Array.isArray(init)) throw new UsageError('KZ_CHECK_BAD_INIT', `${model} --init must be a list of values, e.g. [1,2]; got ${showValue(init)}`);
  return init;
}

function lowerBound(bag: ValueBag, key: string): number {
  let lo = 0;
  let hi = bag.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bag[mid]![0] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
