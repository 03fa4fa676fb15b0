import { isInconsistent, type Model, type ModelOp, type StateKey } from '../models/model.js';

/** Result of a step that is inconsistent. */
export const INCONSISTENT = -1;
/** Memo slots (a power of two): enough for the hot transitions, bounded whatever the history. */
const MEMO_SLOTS = 1 << 16;

/**
 * Model states numbered in order of discovery, with (state, op) steps memoised, like Knossos'
 * `memo` wrapper: the search then works on small integers, and a model's `step` rarely runs
 * twice for the same (state, op) while backtracking. The memo is direct-mapped (a newer
 * transition evicts an older one in its slot), so it costs no allocation per state and
 * bounded memory.
 */
export class TransitionTable<S> {
  readonly states: S[] = [];
  private readonly ids = new Map<StateKey, number>();
  /** hash -> ids, for models that hash their own states. */
  private readonly hashed = new Map<number, number | number[]>();
  private readonly memoState = new Int32Array(MEMO_SLOTS).fill(-1);
  private readonly memoOp = new Int32Array(MEMO_SLOTS);
  private readonly memoNext = new Int32Array(MEMO_SLOTS);

  constructor(
    private readonly model: Model<S>,
    private readonly ops: readonly ModelOp[],
    initial: S,
  ) {
    this.intern(initial);
  }

  get stateCount(): number {
    return this.states.length;
  }

  /** The state after `op` in `state`, or INCONSISTENT. */
  step(state: number, op: number): number {
    const slot = (Math.imul(state, 0x9e3779b1) ^ Math.imul(op, 0x85ebca6b)) >>> 16;
    if (this.memoState[slot] === state && this.memoOp[slot] === op) return this.memoNext[slot]!;
    const next = this.model.step(this.states[state]!, this.ops[op]!);
    const id = isInconsistent(next) ? INCONSISTENT : this.intern(next);
    this.memoState[slot] = state;
    this.memoOp[slot] = op;
    this.memoNext[slot] = id;
    return id;
  }

  /** Steps through the model directly and returns its inconsistency message (for reports). */
  explain(state: number, op: number): string | undefined {
    const next = this.model.step(this.states[state]!, this.ops[op]!);
    return isInconsistent(next) ? next.message : undefined;
  }

  describe(state: number): string {
    return this.model.describe(this.states[state]!);
  }

  private intern(state: S): number {
    const { model } = this;
    if (model.stateHash && model.sameState) {
      const h = model.stateHash(state);
      const bucket = this.hashed.get(h);
      if (typeof bucket === 'number') {
        if (model.sameState(this.states[bucket]!, state)) return bucket;
      } else if (bucket) {
        for (const id of bucket) if (model.sameState(this.states[id]!, state)) return id;
      }
      const id = this.states.length;
      this.states.push(state);
      this.hashed.set(h, bucket === undefined ? id : typeof bucket === 'number' ? [bucket, id] : [...bucket, id]);
      return id;
    }
    const key = model.stateKey(state);
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    const id = this.states.length;
    this.states.push(state);
    this.ids.set(key, id);
    return id;
  }
}
