import { isInconsistent, type Model, type ModelOp, type StateKey } from '../models/model.js';

/** Result of a step that is inconsistent. */
export const INCONSISTENT = -1;
/** Memo slots per op (rounded up to a power of two), within bounds: small histories stay cheap to set up. */
const MEMO_SLOTS_PER_OP = 32;
const MIN_MEMO_SLOTS = 1 << 10;
const MAX_MEMO_SLOTS = 1 << 16;

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
  private readonly memoState: Int32Array;
  private readonly memoOp: Int32Array;
  private readonly memoNext: Int32Array;
  private readonly memoShift: number;

  constructor(
    private readonly model: Model<S>,
    private readonly ops: readonly ModelOp[],
    initial: S,
  ) {
    const bits = Math.min(Math.log2(MAX_MEMO_SLOTS), Math.max(Math.log2(MIN_MEMO_SLOTS), Math.ceil(Math.log2(Math.max(1, ops.length) * MEMO_SLOTS_PER_OP))));
    this.memoShift = 32 - bits;
    this.memoState = new Int32Array(1 << bits).fill(-1);
    this.memoOp = new Int32Array(1 << bits);
    this.memoNext = new Int32Array(1 << bits);
    this.intern(initial);
  }

  get stateCount(): number {
    return this.states.length;
  }

  /** The state after `op` in `state`, or INCONSISTENT. */
  step(state: number, op: number): number {
    const slot = (Math.imul(state, 0x9e3779b1) ^ Math.imul(op, 0x85ebca6b)) >>> this.memoShift;
    if (this.memoState[slot] === state && this.memoOp[slot] === op) return this.memoNext[slot]!;
    const next = this.model.step(this.states[state]!, this.ops[op]!);
    const id = isInconsistent(next) ? INCONSISTENT : this.intern(next);
    this.memoState[slot] = state;
    this.memoOp[slot] = op;
    this.memoNext[slot] = id;
    return id;
  }

  mayStillFit(state: number, op: number): boolean {
    return this.model.mayStillFit?.(this.states[state]!, this.ops[op]!) ?? true;
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
