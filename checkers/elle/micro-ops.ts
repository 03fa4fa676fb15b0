import { UsageError } from '../../common/errors.js';
import { describe } from '../history/op-record.js';
import { displayIndex, Txn } from './transactions.js';

/** One micro-operation of a transaction: `[f, key, value]`, e.g. `["append", "x", 3]` or `["r", "x", [1, 2]]`. */
export type MicroOp = readonly [f: string, key: unknown, value: unknown];

/**
 * A transaction's micro-ops, checked for shape. A history of another workload is a usage
 * error, not an anomaly: say which op and what was expected.
 */
export function microOps(txn: Txn, allowed: ReadonlySet<string>, workload: string): readonly MicroOp[] {
  const value = txn.value;
  if (!Array.isArray(value)) {
    throw badHistory(txn, workload, `its value ${describe(value)} is not a list of micro-ops`, allowed);
  }
  for (const mop of value) {
    if (!Array.isArray(mop) || mop.length < 2 || typeof mop[0] !== 'string' || !allowed.has(mop[0])) {
      throw badHistory(txn, workload, `micro-op ${describe(mop)} is not one of ${[...allowed].map((f) => `[${f} k v]`).join(', ')}`, allowed);
    }
  }
  return value as MicroOp[];
}

function badHistory(txn: Txn, workload: string, why: string, allowed: ReadonlySet<string>): UsageError {
  return badMicroOp(txn, workload, `${why}. A ${workload} history has txn ops whose value is a list of ${[...allowed].join('/')} micro-ops; check --model`);
}

/** A micro-op this workload cannot interpret: a usage error naming the op. */
export function badMicroOp(txn: Txn, workload: string, why: string): UsageError {
  return new UsageError('KZ_ELLE_HISTORY_SHAPE', `op ${displayIndex(txn)} (process ${describe(txn.process)}, ${txn.f}) cannot be checked as ${workload}: ${why}`);
}
