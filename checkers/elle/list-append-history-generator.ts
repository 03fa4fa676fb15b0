import type { Op } from '../history/op.js';
import { seededRandom } from '../linearizability/synthetic-histories.js';

/**
 * Deterministic (seeded) list-append histories for benchmarks and tests, shaped like Elle's
 * own generator: transactions of 1-4 micro-ops, reads and appends over a small pool of
 * active keys chosen with an exponential bias (hot keys), each key retired after a bounded
 * number of appends and replaced by a fresh one.
 *
 * `concurrency` clients run transactions back to back against an in-memory database that
 * applies each transaction atomically at its completion, so the history is strict
 * serializable by construction. Optional faults break that on purpose:
 *
 * - `staleReadRate`: a read misses the latest append(s) of a key (read skew: G-single and kin);
 * - `failRate` / `infoRate`: transactions that abort, or time out and may or may not apply.
 */
export interface ListAppendHistoryOptions {
  seed: number;
  txns: number;
  concurrency: number;
  /** Keys in use at once (default 10). */
  activeKeys?: number;
  /** Appends before a key is retired (default 32; bounds read sizes). */
  maxWritesPerKey?: number;
  /** Micro-ops per transaction (default 4). */
  maxTxnLength?: number;
  failRate?: number;
  infoRate?: number;
  staleReadRate?: number;
}

type Mop = [string, number, unknown];

export function listAppendHistory(opts: ListAppendHistoryOptions): Op[] {
  const random = seededRandom(opts.seed);
  const activeKeys = opts.activeKeys ?? 10;
  const maxWrites = opts.maxWritesPerKey ?? 32;
  const maxLength = opts.maxTxnLength ?? 4;
  const failRate = opts.failRate ?? 0;
  const infoRate = opts.infoRate ?? 0;
  const staleReadRate = opts.staleReadRate ?? 0;

  const db = new Map<number, number[]>();
  const appendsTo = new Map<number, number>();
  const keys = Array.from({ length: activeKeys }, (_, i) => i);
  let nextKey = activeKeys;
  const pickKey = (): number => {
    // Exponential: key slot i is chosen about twice as often as slot i+1.
    const slot = Math.min(activeKeys - 1, Math.floor(-Math.log2(1 - random())));
    return keys[slot]!;
  };
  const plan = (): Mop[] => {
    const length = 1 + Math.floor(random() * maxLength);
    const mops: Mop[] = [];
    for (let i = 0; i < length; i++) {
      let k = pickKey();
      if (random() < 0.5) {
        mops.push(['r', k, null]);
        continue;
      }
      const n = (appendsTo.get(k) ?? 0) + 1;
      if (n > maxWrites) {
        // Retire the key: later transactions use a fresh one in its slot.
        const slot = keys.indexOf(k);
        keys[slot] = k = nextKey++;
        appendsTo.set(k, 1);
        mops.push(['append', k, 1]);
        continue;
      }
      appendsTo.set(k, n);
      mops.push(['append', k, n]);
    }
    return mops;
  };
  const apply = (mops: Mop[]): Mop[] =>
    mops.map(([f, k, v]) => {
      const list = db.get(k) ?? [];
      if (f === 'append') {
        list.push(v as number);
        db.set(k, list);
        return [f, k, v];
      }
      const visible = staleReadRate > 0 && list.length > 0 && random() < staleReadRate ? list.length - 1 - Math.floor(random() * Math.min(3, list.length)) : list.length;
      return ['r', k, list.slice(0, visible)];
    });

  const ops: Op[] = [];
  const open: (Mop[] | null)[] = new Array(opts.concurrency).fill(null);
  const processOf = Array.from({ length: opts.concurrency }, (_, i) => i);
  let nextProcess = opts.concurrency;
  let invoked = 0;
  let running = 0;
  let time = 0;
  const push = (op: Omit<Op, 'index' | 'time'>) => ops.push({ index: ops.length, time: (time += 1000), ...op } as Op);
  while (invoked < opts.txns || running > 0) {
    const slot = Math.floor(random() * opts.concurrency);
    const current = open[slot];
    if (current === null) {
      if (invoked >= opts.txns) continue;
      const mops = plan();
      open[slot] = mops;
      invoked++;
      running++;
      push({ process: processOf[slot]!, type: 'invoke', f: 'txn', value: mops.map(([f, k, v]) => [f, k, f === 'r' ? null : v]) });
      continue;
    }
    open[slot] = null;
    running--;
    const roll = random();
    if (roll < failRate) {
      push({ process: processOf[slot]!, type: 'fail', f: 'txn', value: current });
    } else if (roll < failRate + infoRate) {
      if (random() < 0.5) apply(current);
      push({ process: processOf[slot]!, type: 'info', f: 'txn', value: current });
      processOf[slot] = nextProcess++; // a crashed client comes back as a new process
    } else {
      push({ process: processOf[slot]!, type: 'ok', f: 'txn', value: apply(current) });
    }
  }
  return ops;
}
