import { ConfigurationCache } from './configuration-cache.js';
import { INCONSISTENT } from './transition-table.js';

/**
 * One partition's search problem. Entries (ops) are numbered so that the `okCount` ops that
 * completed with ok come first, in order of completion, and indeterminate (info) ops after:
 * the linearized bitsets then show progress through the required ops as a contiguous prefix,
 * which is how Knossos finds the op that could not be linearized.
 */
export interface SearchProblem {
  entryCount: number;
  okCount: number;
  /** The call/return list in history order: node 2k is entry k's call, 2k+1 its return. Info returns come last. */
  events: Int32Array;
  /**
   * For each info entry, the closest earlier-invoked info entry with the same f, value and key
   * (-1 for none). Such twins are interchangeable, so the search linearizes them in order.
   */
  infoTwin: Int32Array;
  /** 1 for entries the model calls read-only (they never change the state when they fit). */
  readOnly: Uint8Array;
  /**
   * For models whose state only grows (kv appends): for each read entry, the entries that
   * could reset the state before it (CSR: `resetters[resetterStart[r] .. resetterStart[r+1]]`),
   * or null when the model does not grow monotonically.
   */
  growth: { resetterStart: Int32Array; resetters: Int32Array } | null;
}

export interface SearchBudget {
  /** Date.now() past which the answer is unknown. */
  deadline: number;
  /** Cache size past which the answer is unknown. */
  maxCacheBytes: number;
}

export interface StepFunction {
  step(state: number, entry: number): number;
  /** With only growing ops from `state` on, could read `entry` still fit? */
  mayStillFit?(state: number, entry: number): boolean;
}

export type SearchOutcome =
  | { verdict: 'valid' }
  | { verdict: 'invalid' }
  | { verdict: 'unknown'; cause: 'timeout' | 'out-of-memory' };

const NIL = -1;
const BUDGET_CHECK_MASK = 0xfff;
/** Calls ahead in the list whose reads are checked for growing models. */
const READ_LOOKAHEAD = 32;

/**
 * Wing & Gong's search with Lowe's memoisation, as Knossos' `wgl` and Porcupine run it: the
 * calls before the first remaining return in the call/return list are the candidates; try to
 * linearize one (step the model, check the cache, lift the call and its return out of the
 * list, go on from the new configuration); when no candidate fits, backtrack. Every ok entry linearized means the history is linearizable; a
 * return with nothing to backtrack means it is not. Info entries' returns sit at the end of
 * the list, so they may be linearized at any point after their call, or never.
 *
 * Two sound reductions for indeterminate (info) entries, which have no return and so never
 * constrain anything: one that would leave the state unchanged is not linearized (the same
 * configuration without it reaches everything this one could), and of two identical info
 * entries the earlier-invoked goes first (whenever the later one may be linearized, so may the
 * earlier, with the same effect).
 *
 * For models whose state only grows (kv appends), a configuration is dropped as soon as a
 * pending read can no longer fit: its value does not extend the current state, and nothing
 * that could still come before it resets the state.
 *
 * And a partial-order reduction for read-only entries (Lowe): one that fits the current state
 * is linearized at once, and if that branch fails the configuration fails too, with no other
 * candidate tried, because any linearization from here could take the read first.
 *
 * The search can pause after a number of loop iterations and resume, so many partitions can
 * share one thread fairly and the first violation ends the check early.
 */
export class LinearizationSearch {
  readonly cache: ConfigurationCache;
  /** Loop iterations so far. */
  steps = 0;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly head: number;
  private readonly zobrist: Int32Array;
  private readonly bits: Uint32Array;
  private readonly stackEntries: Int32Array;
  private readonly stackBefore: Int32Array;
  private readonly stackAfter: Int32Array;
  /** Position, among its configuration's candidates, of the entry each frame linearized. */
  private readonly stackChoice: Int32Array;
  private readonly candidates: Int32Array;
  /** Order in which candidates are tried: reads first, then by the position of the return. */
  private readonly priority: Int32Array;
  private candidateCount = 0;
  private position = 0;
  private readonly longestEntries: Int32Array;
  private readonly longestStates: Int32Array;
  private longestDepth = 0;
  /** stack[0..unchangedBelow) equals longest[0..unchangedBelow). */
  private unchangedBelow = 0;
  private depth = 0;
  private state = 0;
  private hash = 0;
  private remainingOk: number;
  private outcome: SearchOutcome | undefined;

  constructor(
    private readonly problem: SearchProblem,
    private readonly model: StepFunction,
    private readonly budget: SearchBudget,
  ) {
    const n = problem.entryCount;
    this.head = 2 * n;
    this.next = new Int32Array(2 * n + 1).fill(NIL);
    this.prev = new Int32Array(2 * n + 1).fill(NIL);
    let last = this.head;
    for (const node of problem.events) {
      this.next[last] = node;
      this.prev[node] = last;
      last = node;
    }
    this.zobrist = zobristWords(n);
    this.cache = new ConfigurationCache(n, problem.okCount);
    this.bits = new Uint32Array(this.cache.words);
    this.stackEntries = new Int32Array(n);
    this.stackBefore = new Int32Array(n);
    this.stackAfter = new Int32Array(n);
    this.stackChoice = new Int32Array(n);
    this.candidates = new Int32Array(n);
    this.priority = new Int32Array(n);
    problem.events.forEach((node, i) => {
      if ((node & 1) === 1) this.priority[node >> 1] = problem.readOnly[node >> 1] === 1 ? i - 4 * n : i;
    });
    this.longestEntries = new Int32Array(n);
    this.longestStates = new Int32Array(n);
    this.remainingOk = problem.okCount;
    this.cache.add(this.bits, 0, 0, -1);
    this.candidateCount = this.collectCandidates();
  }

  /** The deepest linearization reached: entries in order and the state after each. */
  get longest(): { entries: number[]; states: number[] } {
    return {
      entries: Array.from(this.longestEntries.subarray(0, this.longestDepth)),
      states: Array.from(this.longestStates.subarray(0, this.longestDepth)),
    };
  }

  /** Runs at most `maxLoops` iterations; returns the outcome once decided, undefined when paused. */
  run(maxLoops = Infinity): SearchOutcome | undefined {
    if (this.outcome) return this.outcome;
    const { next, prev, zobrist, bits, cache, model, stackEntries, stackBefore, stackAfter, stackChoice, budget } = this;
    const okCount = this.problem.okCount;
    const infoTwin = this.problem.infoTwin;
    const readOnly = this.problem.readOnly;
    let { depth, state, hash, remainingOk, steps, candidateCount, position } = this;
    const candidates = this.candidates;
    const stopAt = steps + maxLoops;
    const firstStep = steps + 1;
    const unlink = (x: number) => {
      const p = prev[x]!;
      const q = next[x]!;
      next[p] = q;
      if (q !== NIL) prev[q] = p;
    };
    const relink = (x: number) => {
      next[prev[x]!] = x;
      const q = next[x]!;
      if (q !== NIL) prev[q] = x;
    };
    let outcome: SearchOutcome | undefined;
    for (;;) {
      if (remainingOk === 0) {
        outcome = { verdict: 'valid' };
        break;
      }
      // The budget is checked when a run starts or resumes, then every few thousand steps.
      if ((++steps & BUDGET_CHECK_MASK) === 0 || steps === firstStep) {
        if (Date.now() > budget.deadline) {
          outcome = { verdict: 'unknown', cause: 'timeout' };
          break;
        }
        if (cache.approximateBytes > budget.maxCacheBytes) {
          outcome = { verdict: 'unknown', cause: 'out-of-memory' };
          break;
        }
      }
      if (steps >= stopAt) break;
      if (position < candidateCount) {
        const k = candidates[position]!;
        let after = INCONSISTENT;
        if (k < okCount) {
          after = model.step(state, k);
        } else {
          const twin = infoTwin[k - okCount]!;
          if (twin < 0 || (bits[twin >>> 5]! & (1 << (twin & 31))) !== 0) {
            after = model.step(state, k);
            if (after === state) after = INCONSISTENT;
          }
        }
        if (after !== INCONSISTENT) {
          const word = k >>> 5;
          const mask = 1 << (k & 31);
          bits[word]! |= mask;
          const nextHash = k < okCount ? hash ^ zobrist[k]! : hash;
          if (cache.add(bits, nextHash, after, k)) {
            stackEntries[depth] = k;
            stackBefore[depth] = state;
            stackAfter[depth] = after;
            stackChoice[depth] = position;
            depth++;
            if (depth > this.longestDepth) this.recordLongest(depth);
            const changed = after !== state;
            state = after;
            hash = nextHash;
            // Dancing links: lift the call then its return; they go back in the reverse order.
            unlink(2 * k);
            unlink(2 * k + 1);
            if (k < okCount) remainingOk--;
            candidateCount = this.collectCandidates();
            // Only a changed state can newly strand a read.
            if (changed && this.problem.growth && this.pendingReadCannotFit(state)) candidateCount = 0;
            position = 0;
            continue;
          }
          bits[word]! &= ~mask;
        }
        position++;
      } else {
        // No candidate extends this configuration: undo the last choice; undo a read-only one
        // too, and keep going, since no alternative to it can succeed.
        let k = -1;
        let choice = 0;
        do {
          if (depth === 0) {
            k = -1;
            break;
          }
          depth--;
          if (depth < this.unchangedBelow) this.unchangedBelow = depth;
          k = stackEntries[depth]!;
          choice = stackChoice[depth]!;
          state = stackBefore[depth]!;
          bits[k >>> 5]! &= ~(1 << (k & 31));
          if (k < okCount) hash ^= zobrist[k]!;
          relink(2 * k + 1);
          relink(2 * k);
          if (k < okCount) remainingOk++;
        } while (readOnly[k] === 1);
        if (k < 0) {
          outcome = { verdict: 'invalid' };
          break;
        }
        candidateCount = this.collectCandidates();
        position = choice + 1;
      }
    }
    Object.assign(this, { depth, state, hash, remainingOk, steps, candidateCount, position });
    this.outcome = outcome;
    return outcome;
  }

  /**
   * Is there a pending read that no continuation of this configuration can satisfy? Looks at
   * the reads among the next calls in the list (candidates and those invoked soon after):
   * the earliest reads are the ones that refute a wrong order soonest.
   */
  private pendingReadCannotFit(state: number): boolean {
    const { resetterStart, resetters } = this.problem.growth!;
    const { next, bits, model } = this;
    const readOnly = this.problem.readOnly;
    let calls = 0;
    for (let node = next[this.head]!; node !== NIL && calls < READ_LOOKAHEAD; node = next[node]!) {
      if ((node & 1) === 1) continue;
      calls++;
      const r = node >> 1;
      if (readOnly[r] !== 1) continue;
      let resettable = false;
      for (let j = resetterStart[r]!; j < resetterStart[r + 1]! && !resettable; j++) {
        const e = resetters[j]!;
        if ((bits[e >>> 5]! & (1 << (e & 31))) === 0) resettable = true;
      }
      if (!resettable && model.step(state, r) === INCONSISTENT && model.mayStillFit?.(state, r) === false) return true;
    }
    return false;
  }

  /**
   * The calls that may be linearized next: those before the first remaining return in the
   * list (Wing & Gong). They are tried earliest deadline first, reads before anything: the op
   * whose return comes first is usually the one a linearization takes next, so valid
   * histories need little backtracking.
   */
  private collectCandidates(): number {
    const { next, candidates, priority } = this;
    let count = 0;
    for (let node = next[this.head]!; node !== NIL && (node & 1) === 0; node = next[node]!) {
      const k = node >> 1;
      const p = priority[k]!;
      let i = count++;
      while (i > 0 && priority[candidates[i - 1]!]! > p) {
        candidates[i] = candidates[i - 1]!;
        i--;
      }
      candidates[i] = k;
    }
    return count;
  }

  private recordLongest(depth: number): void {
    for (let i = this.unchangedBelow; i < depth; i++) {
      this.longestEntries[i] = this.stackEntries[i]!;
      this.longestStates[i] = this.stackAfter[i]!;
    }
    this.longestDepth = depth;
    this.unchangedBelow = depth;
  }
}

/** Deterministic pseudo-random words (splitmix32), one per entry. */
function zobristWords(n: number): Int32Array {
  const out = new Int32Array(n);
  let x = 0x2545f491;
  for (let i = 0; i < n; i++) {
    x = (x + 0x9e3779b9) | 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    out[i] = z ^ (z >>> 16);
  }
  return out;
}
