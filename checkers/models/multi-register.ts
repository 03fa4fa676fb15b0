import { UsageError } from '../../common/errors.js';
import { Inconsistent, type Model, type ModelOp } from './model.js';
import { canonicalJson, isUnknownValue, sameValue, showValue } from './model-values.js';

type Registers = Readonly<Record<string, unknown>>;
type MicroOp = [string, unknown, unknown];

/**
 * Knossos' multi-register: `txn` ops whose value is a list of `[read k v]` / `[write k v]`
 * micro-ops (Elle's `r`/`w` spellings are accepted too), applied in order. A read of nil is
 * unknown and matches anything. Keys start at `--init` (e.g. `{"x":0,"y":0}`); a key the
 * initial state does not name starts at nil.
 */
export const multiRegisterModel: Model<Registers> = {
  name: 'multi-register',
  operations: ['txn'],
  description: 'registers by key; txn of [read k v] / [write k v] micro-ops; --init {"x":0,"y":0}',
  initial(init) {
    if (init === undefined || init === null) return {};
    if (typeof init !== 'object' || Array.isArray(init)) throw new UsageError('KZ_CHECK_BAD_INIT', `multi-register --init must be a map of key to value, e.g. {"x":0,"y":0}; got ${showValue(init)}`);
    return { ...(init as Record<string, unknown>) };
  },
  step(state, op) {
    let next: Record<string, unknown> | undefined;
    for (const [f, k, v] of op.value as MicroOp[]) {
      const key = String(k);
      const current = next ? next[key] : state[key];
      if (isRead(f)) {
        if (!isUnknownValue(v) && !sameValue(current, v)) return new Inconsistent(() => `can't read ${showValue(v)} from register ${key}, which holds ${showValue(current)}`);
      } else {
        next ??= { ...state };
        next[key] = v ?? null;
      }
    }
    return next ?? state;
  },
  stateKey: (state) => canonicalJson(state),
  describe: (state) => showValue(state),
  validate(op: ModelOp) {
    if (!Array.isArray(op.value)) return `txn needs a list of [f k v] micro-ops, found ${showValue(op.value)}`;
    for (const m of op.value) {
      if (!Array.isArray(m) || m.length !== 3 || !(isRead(m[0]) || isWrite(m[0]))) return `txn micro-op must be [read k v] or [write k v], found ${showValue(m)}`;
    }
    return undefined;
  },
  isNoOp: (op) => Array.isArray(op.value) && (op.value as MicroOp[]).every(([f, , v]) => isRead(f) && isUnknownValue(v)),
  isReadOnly: (op) => Array.isArray(op.value) && (op.value as MicroOp[]).every(([f]) => isRead(f)),
};

function isRead(f: unknown): boolean {
  return f === 'read' || f === 'r';
}
function isWrite(f: unknown): boolean {
  return f === 'write' || f === 'w';
}
