/**
 * The set of search configurations already explored: (set of linearized ops, model state),
 * as in Knossos' `HashSet<CacheConfig>` and Porcupine's cache. Linearized sets are bitsets
 * stored in one growing word pool; the table is open addressing over typed arrays, with no
 * per-entry objects for the garbage collector to trace.
 *
 * Entries 0..okCount-1 are ok ops, the rest indeterminate (info) ops. A configuration is
 * subsumed by an explored one with the same state, the same ok ops and a subset of its info
 * ops: info ops never have to be linearized and never make another op callable, so whatever
 * the new one could reach, the explored one could too. The hash therefore covers only the ok
 * ops (XOR of per-op random words, Zobrist hashing, kept incrementally by the search) and the
 * state, and a lookup checks subsumption rather than equality.
 */
export class ConfigurationCache {
  readonly words: number;
  private pool: Uint32Array;
  private states: Int32Array;
  private lastOps: Int32Array;
  /** Next entry with the same hash (-1 ends the chain). Chains hold only configurations no other subsumes. */
  private chain: Int32Array;
  private readonly heads = new Map<number, number>();
  private count = 0;
  /** Per word: the bits that are ok entries. */
  private readonly okMask: Uint32Array;

  constructor(opCount: number, okCount: number = opCount) {
    this.words = Math.max(1, Math.ceil(opCount / 32));
    this.okMask = new Uint32Array(this.words);
    for (let k = 0; k < okCount; k++) this.okMask[k >>> 5]! |= 1 << (k & 31);
    const initial = 1024;
    this.pool = new Uint32Array(initial * this.words);
    this.states = new Int32Array(initial);
    this.lastOps = new Int32Array(initial);
    this.chain = new Int32Array(initial);
  }

  get size(): number {
    return this.count;
  }

  /** Approximate bytes held, for the memory budget. */
  get approximateBytes(): number {
    return this.states.length * (this.words * 4 + 12) + this.heads.size * 40;
  }

  /**
   * Adds (bits, state) unless an explored configuration subsumes it; `okHash` is the Zobrist
   * hash of the ok bits; `lastOp` is the op linearized last to reach it (-1 for the start),
   * kept for failure reports. Returns whether it was added. Configurations the new one
   * subsumes leave the hash chain (they stay in the cache for failure reports), so chains stay
   * short.
   */
  add(bits: Uint32Array, okHash: number, state: number, lastOp: number): boolean {
    const h = (okHash ^ Math.imul(state + 1, 0x9e3779b1)) & 0x3fffffff;
    const head = this.heads.get(h);
    let kept = -1; // last entry left in the chain
    let first = -1; // new chain head after unlinking
    for (let e = head ?? -1; e !== -1; e = this.chain[e]!) {
      const relation = this.states[e] === state ? this.compare(e, bits) : UNRELATED;
      if (relation === SUBSUMES) return false;
      if (relation === SUBSUMED) continue; // drop it from the chain
      if (kept === -1) first = e;
      else this.chain[kept] = e;
      kept = e;
    }
    if (kept !== -1) this.chain[kept] = -1;
    if (this.count === this.states.length) this.grow();
    const id = this.count++;
    this.pool.set(this.words === 1 ? bits.subarray(0, 1) : bits, id * this.words);
    this.states[id] = state;
    this.lastOps[id] = lastOp;
    this.chain[id] = first;
    this.heads.set(h, id);
    return true;
  }

  stateOf(entry: number): number {
    return this.states[entry]!;
  }

  lastOpOf(entry: number): number {
    return this.lastOps[entry]!;
  }

  has(entry: number, op: number): boolean {
    return (this.pool[entry * this.words + (op >>> 5)]! & (1 << (op & 31))) !== 0;
  }

  /** Length of the run of linearized ops 0, 1, 2, ... in this entry (Java's BitSet.nextClearBit(0)). */
  contiguousPrefix(entry: number): number {
    const base = entry * this.words;
    for (let i = 0; i < this.words; i++) {
      const word = this.pool[base + i]!;
      if (word !== 0xffffffff) return i * 32 + countTrailingOnes(word);
    }
    return this.words * 32;
  }

  /** How an entry's configuration relates to `bits` (same state assumed). */
  private compare(entry: number, bits: Uint32Array): Relation {
    const base = entry * this.words;
    let storedSubset = true; // stored info bits within the probe's
    let probeSubset = true; // probe info bits within the stored
    for (let i = 0; i < this.words; i++) {
      const stored = this.pool[base + i]!;
      const probe = bits[i]!;
      const ok = this.okMask[i]!;
      if (((stored ^ probe) & ok) !== 0) return UNRELATED;
      if ((stored & ~probe & ~ok) !== 0) storedSubset = false;
      if ((probe & ~stored & ~ok) !== 0) probeSubset = false;
    }
    return storedSubset ? SUBSUMES : probeSubset ? SUBSUMED : UNRELATED;
  }

  private grow(): void {
    const cap = this.states.length * 2;
    const pool = new Uint32Array(cap * this.words);
    pool.set(this.pool);
    this.pool = pool;
    for (const name of ['states', 'lastOps', 'chain'] as const) {
      const next = new Int32Array(cap);
      next.set(this[name]);
      this[name] = next;
    }
  }
}

type Relation = 0 | 1 | 2;
const UNRELATED: Relation = 0;
/** The stored configuration subsumes the probe (probe adds nothing). */
const SUBSUMES: Relation = 1;
/** The probe subsumes the stored configuration. */
const SUBSUMED: Relation = 2;

function countTrailingOnes(word: number): number {
  const inverted = ~word >>> 0;
  return 31 - Math.clz32(inverted & -inverted);
}
