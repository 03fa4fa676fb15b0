import { Inconsistent, type Model, type ModelOp } from './model.js';
import { isUnknownValue, sameValue, showValue, valueKey } from './model-values.js';

/**
 * Knossos' read/write register, and the compare-and-set register that adds `cas [old new]`.
 * A read of nil is an unknown read and matches any state (Knossos semantics).
 */
function makeRegister(name: 'register' | 'cas-register'): Model<unknown> {
  const withCas = name === 'cas-register';
  return {
    name,
    operations: withCas ? ['read', 'write', 'cas'] : ['read', 'write'],
    description: withCas
      ? 'compare-and-set register: read, write v, cas [old new]; starts at --init (default nil)'
      : 'read/write register: read, write v; starts at --init (default nil)',
    initial: (init) => (init === undefined ? null : init),
    step(state, op) {
      switch (op.f) {
        case 'read':
          return isUnknownValue(op.value) || sameValue(state, op.value) ? state : new Inconsistent(() => `can't read ${showValue(op.value)} from register ${showValue(state)}`);
        case 'write':
          return op.value ?? null;
        default: {
          const [from, to] = op.value as [unknown, unknown];
          return sameValue(state, from) ? (to ?? null) : new Inconsistent(() => `can't CAS ${showValue(state)} from ${showValue(from)} to ${showValue(to)}`);
        }
      }
    },
    stateKey: valueKey,
    describe: showValue,
    validate(op: ModelOp) {
      if (op.f === 'cas' && withCas && !(Array.isArray(op.value) && op.value.length === 2)) return `cas needs a value [old new], found ${showValue(op.value)}`;
      return undefined;
    },
    isNoOp: (op) => op.f === 'read' && isUnknownValue(op.value),
    isReadOnly: (op) => op.f === 'read',
  };
}

export const registerModel = makeRegister('register');
export const casRegisterModel = makeRegister('cas-register');
