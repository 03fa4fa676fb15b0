import { Inconsistent, type Model, type ModelOp } from './model.js';
import { isUnknownValue, showValue } from './model-values.js';
import { bagAdd, bagFrom, bagKey, initialValues, showBag, type ValueBag } from './value-bag.js';

/** Knossos' set: `add v`, and `read` returning the whole set, which must match exactly. */
export const setModel: Model<ValueBag> = {
  name: 'set',
  operations: ['add', 'read'],
  description: 'a set: add v, read returns every element; starts at --init (default empty)',
  initial: (init) => bagFrom(initialValues('set', init), true),
  step(state, op) {
    if (op.f === 'add') return bagAdd(state, op.value, true);
    if (isUnknownValue(op.value)) return state;
    const read = bagFrom(op.value as unknown[], true);
    return bagKey(read) === bagKey(state) ? state : new Inconsistent(() => `can't read ${showBag(read)} from set ${showBag(state)}`);
  },
  stateKey: bagKey,
  describe: (state) => showBag(state),
  validate(op: ModelOp) {
    if (op.f === 'read' && !isUnknownValue(op.value) && !Array.isArray(op.value)) return `set read returns a collection, found ${showValue(op.value)}`;
    return undefined;
  },
  isNoOp: (op) => op.f === 'read' && isUnknownValue(op.value),
  isReadOnly: (op) => op.f === 'read',
  growsOnly: () => true,
  // Elements are never removed, so a later read must hold every element there now.
  mayStillFit: (state, read) => {
    if (isUnknownValue(read.value)) return true;
    const later = new Set(bagFrom(read.value as unknown[], true).map(([k]) => k));
    return state.every(([k]) => later.has(k));
  },
};
