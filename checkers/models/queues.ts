import { Inconsistent, type Model } from './model.js';
import { canonicalJson, isUnknownValue, sameValue, showValue } from './model-values.js';
import { bagAdd, bagFrom, bagKey, bagRemove, initialValues, showBag, type ValueBag } from './value-bag.js';

/**
 * Knossos' unordered queue: a multiset; `dequeue v` must find v pending. A dequeue whose value
 * is unknown (nil, e.g. a timed-out dequeue) tells nothing and is left out: nothing in this
 * model depends on an element being gone.
 */
export const unorderedQueueModel: Model<ValueBag> = {
  name: 'unordered-queue',
  operations: ['enqueue', 'dequeue'],
  description: 'a queue without order (multiset): enqueue v, dequeue v; starts at --init (default empty)',
  initial: (init) => bagFrom(initialValues('unordered-queue', init), false),
  step(state, op) {
    if (op.f === 'enqueue') return bagAdd(state, op.value, false);
    return bagRemove(state, op.value) ?? new Inconsistent(() => `can't dequeue ${showValue(op.value)}: the queue holds ${showBag(state, '[', ']')}`);
  },
  stateKey: bagKey,
  describe: (state) => showBag(state, '[', ']'),
  validate: () => undefined,
  isNoOp: (op) => op.f === 'dequeue' && isUnknownValue(op.value),
};

/**
 * Knossos' FIFO queue: `dequeue v` must find v at the head. A dequeue with an unknown value
 * (nil) takes whatever is at the head, so a timed-out dequeue that did happen is not blamed
 * on later dequeues.
 */
export const fifoQueueModel: Model<readonly unknown[]> = {
  name: 'fifo-queue',
  operations: ['enqueue', 'dequeue'],
  description: 'a FIFO queue: enqueue v, dequeue v (must be the head); starts at --init (default empty)',
  initial: (init) => [...initialValues('fifo-queue', init)],
  step(state, op) {
    if (op.f === 'enqueue') return [...state, op.value];
    if (state.length === 0) return new Inconsistent(() => `can't dequeue ${showValue(op.value)} from an empty queue`);
    if (!isUnknownValue(op.value) && !sameValue(state[0], op.value)) return new Inconsistent(() => `can't dequeue ${showValue(op.value)}: the head of the queue is ${showValue(state[0])}`);
    return state.slice(1);
  },
  stateKey: (state) => `[${state.map(canonicalJson).join(',')}]`,
  describe: (state) => showValue(state),
  validate: () => undefined,
  isNoOp: () => false,
};
