/**
 * A sequential specification for linearizability checking, as Knossos' `Model`: a pure,
 * deterministic `step` from a state and an operation to the next state or an inconsistency.
 */

/** The part of an operation a model sees: its name, its (completed) value, and its key. */
export interface ModelOp {
  f: string;
  value: unknown;
  key?: unknown;
}

/**
 * An operation that could not have taken place in that state, and why, in plain words. The
 * message is built only when a report asks for it: searches reject ops far more often than
 * anyone reads why.
 */
export class Inconsistent {
  private text: string | undefined;
  constructor(private readonly explain: () => string) {}
  get message(): string {
    this.text ??= this.explain();
    return this.text;
  }
}

export function isInconsistent(x: unknown): x is Inconsistent {
  return x instanceof Inconsistent;
}

/** A state's identity: two states are the same exactly when their keys are. */
export type StateKey = string | number | boolean | null;

export interface Model<S = unknown> {
  readonly name: string;
  /** The `f` names the model understands. */
  readonly operations: readonly string[];
  /** The key of ops that carry none, for models whose ops are always keyed (kv: ""). */
  readonly defaultKey?: unknown;
  /** One line for `--help` and the docs. */
  readonly description: string;
  /**
   * The initial state; `init` comes from `--init` (already parsed) or is undefined for the
   * default. `key` is the partition's key when the history is checked key by key.
   */
  initial(init: unknown, key?: unknown): S;
  step(state: S, op: ModelOp): S | Inconsistent;
  stateKey(state: S): StateKey;
  /**
   * Optional fast identity for models with large states: a 32-bit hash (which the model may
   * keep incrementally) and an exact equality. When given, the checker uses these instead of
   * building `stateKey` for every new state.
   */
  stateHash?(state: S): number;
  sameState?(a: S, b: S): boolean;
  describe(state: S): string;
  /** Says what is wrong with an op's shape (before any search), or undefined when it is fine. */
  validate(op: ModelOp): string | undefined;
  /**
   * True when the op can neither change the state nor be inconsistent (a read of nil, whose
   * result is unknown): the search may leave it out without changing the verdict.
   */
  isNoOp(op: ModelOp): boolean;
  /**
   * True when the op never changes the state when it succeeds (a read). The search linearizes
   * such an op as soon as it fits and never tries the alternatives: moving a read earlier, to
   * a point where it already fits, cannot break any linearization.
   */
  isReadOnly?(op: ModelOp): boolean;
  /**
   * For models whose state only grows under some ops (kv appends, set adds): true when `op`
   * can only extend the state (a read counts: it leaves it as is).
   */
  growsOnly?(op: ModelOp): boolean;
  /**
   * With only growing ops from `state` on, could the read `read` ever fit? When it cannot,
   * and nothing that could still come before that read resets the state, the search drops the
   * configuration at once instead of discovering the dead end op by op.
   */
  mayStillFit?(state: S, read: ModelOp): boolean;
  /** The state an op sets whatever the state before it (a kv put), when it is one such. */
  resetState?(op: ModelOp): S | undefined;
}
