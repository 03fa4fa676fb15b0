import { UsageError } from '../../common/errors.js';
import { Inconsistent, type Model, type ModelOp } from './model.js';
import { isUnknownValue, showValue } from './model-values.js';

/** One key's value, with a polynomial hash kept incrementally so appends never rehash the whole string. */
export interface KvValue {
  readonly text: string;
  readonly hash: number;
}

const BASE = 0x01000193;

function hashOf(text: string): { hash: number; scale: number } {
  let hash = 0;
  let scale = 1;
  for (let i = 0; i < text.length; i++) {
    hash = (Math.imul(hash, BASE) + text.charCodeAt(i)) | 0;
    scale = Math.imul(scale, BASE);
  }
  return { hash, scale };
}

function kvValue(text: string): KvValue {
  return { text, hash: hashOf(text).hash };
}

/**
 * Porcupine's key-value store with string values: `get` returns the value ("" when unset),
 * `put` replaces it, `append` concatenates. The op's `key` names the entry (a missing key is
 * ""). Keys are independent, so kv histories are always checked one key at a time and the
 * state is that key's string.
 */
export const kvModel: Model<KvValue> = {
  name: 'kv',
  operations: ['get', 'put', 'append'],
  defaultKey: '',
  description: 'string key-value store: get, put v, append v (per op key, default ""); checked key by key; --init {"k":"v"} or "v" for every key',
  initial(init, key) {
    if (init === undefined || init === null) return kvValue('');
    if (typeof init === 'string') return kvValue(init);
    if (typeof init !== 'object' || Array.isArray(init) || Object.values(init).some((v) => typeof v !== 'string')) {
      throw new UsageError('KZ_CHECK_BAD_INIT', `kv --init must be a string, or a map of key to string such as {"a":"x"}; got ${showValue(init)}`);
    }
    return kvValue((init as Record<string, string>)[keyName(key)] ?? '');
  },
  step(current, op) {
    switch (op.f) {
      case 'get':
        return isUnknownValue(op.value) || op.value === current.text
          ? current
          : new Inconsistent(() => `can't get ${showValue(op.value)} from key ${showValue(keyName(op.key))}, which holds ${showValue(current.text)}`);
      case 'put':
        return kvValue(op.value as string);
      default: {
        const suffix = hashOf(op.value as string);
        return { text: current.text + (op.value as string), hash: (Math.imul(current.hash, suffix.scale) + suffix.hash) | 0 };
      }
    }
  },
  stateKey: (current) => current.text,
  stateHash: (current) => current.hash,
  sameState: (a, b) => a.text === b.text,
  describe: (current) => showValue(current.text),
  validate(op: ModelOp) {
    if (op.f !== 'get' && typeof op.value !== 'string') return `${op.f} needs a string value, found ${showValue(op.value)}`;
    if (op.f === 'get' && !isUnknownValue(op.value) && typeof op.value !== 'string') return `get returns a string, found ${showValue(op.value)}`;
    return undefined;
  },
  isNoOp: (op) => op.f === 'get' && isUnknownValue(op.value),
  isReadOnly: (op) => op.f === 'get',
  growsOnly: (op) => op.f !== 'put',
  // Appends only extend the string, so a later get must start with what is there now.
  resetState: (op) => (op.f === 'put' && typeof op.value === 'string' ? kvValue(op.value) : undefined),
  mayStillFit: (current, read) => isUnknownValue(read.value) || (read.value as string).startsWith(current.text),
};

function keyName(key: unknown): string {
  return key === undefined || key === null ? '' : typeof key === 'string' ? key : JSON.stringify(key);
}
