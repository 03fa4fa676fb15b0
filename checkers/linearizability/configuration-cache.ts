/**
 * The set of search configurations already explored: (set of linearized ops, model state),
 * as in Knossos' `HashSet<CacheConfig>` and Porcupine's cache. Linearized sets are bitsets
 * stored in one growing word pool; the hash of a set is the XOR of per-op random words
 * (Zobrist hashing), maintained incrementally by the search, so adding a configuration never
 * rehashes the bitset. The table is open addressing over typed arrays: no per-entry objects
 * for the garbage collector to trace.
 */
export class ConfigurationCache {
  readonly words: number;
  private pool: Uint32Array;
  private states: Int32Array;
  private lastOps: Int32Array;
  private hashes: Int32Array;
  /** Slot -> entry + 1 (0 = empty); linear probing. */
  private slots: Int32Array;
  private mask: number;
  private count = 0;

  constructor(opCount: number) {
    this.words = Math.max(1, Math.ceil(opCount / 32));
    const initial = 1024;
    this.pool = new Uint32Array(initial * this.words);
    this.states = new Int32Array(initial);
    this.lastOps = new Int32Array(initial);
    this.hashes = new Int32Array(initial);
    this.slots = new Int32Array(initial * 2);
    this.mask = initial * 2 - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Approximate bytes held, for the memory budget. */
  get approximateBytes(): number {
    return this.states.length * (this.words * 4 + 12 + 8);
  }

  /**
   * Adds (bits, state) unless present; `lastOp` is the op linearized last to reach it (-1 for
   * the start), kept for failure reports. Returns whether it was new.
   */
  add(bits: Uint32Array, hash: number, state: number, lastOp: number): boolean {
    const h = hash ^ Math.imul(state + 1, 0x9e3779b1);
    const w = this.words;
    const { slots, mask } = this;
    let slot = mix(h) & mask;
    for (;;) {
      const e = slots[slot]! - 1;
      if (e < 0) break;
      if (this.hashes[e] === h && this.states[e] === state && this.sameBits(e, bits)) return false;
      slot = (slot + 1) & mask;
    }
    if (this.count === this.states.length) {
      this.grow();
      return this.add(bits, hash, state, lastOp);
    }
    const id = this.count++;
    this.pool.set(w === 1 ? bits.subarray(0, 1) : bits, id * w);
    this.states[id] = state;
    this.lastOps[id] = lastOp;
    this.hashes[id] = h;
    slots[slot] = id + 1;
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

  private sameBits(entry: number, bits: Uint32Array): boolean {
    const base = entry * this.words;
    for (let i = 0; i < this.words; i++) if (this.pool[base + i] !== bits[i]) return false;
    return true;
  }

  private grow(): void {
    const cap = this.states.length * 2;
    const pool = new Uint32Array(cap * this.words);
    pool.set(this.pool);
    this.pool = pool;
    for (const name of ['states', 'lastOps', 'hashes'] as const) {
      const next = new Int32Array(cap);
      next.set(this[name]);
      this[name] = next;
    }
    // Keep the table at most half full.
    this.slots = new Int32Array(cap * 2);
    this.mask = cap * 2 - 1;
    for (let e = 0; e < this.count; e++) {
      let slot = mix(this.hashes[e]!) & this.mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = e + 1;
    }
  }
}

/** Spreads the bits so linear probing sees a uniform hash (murmur3 finaliser). */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function countTrailingOnes(word: number): number {
  const inverted = ~word >>> 0;
  return 31 - Math.clz32(inverted & -inverted);
}
