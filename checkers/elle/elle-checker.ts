import { UsageError } from '../../common/errors.js';
import type { Checker, CheckOptions, CheckResult } from '../checker.js';
import type { Op } from '../history/op.js';
import { AnomalyCollector } from './anomaly-collector.js';
import { elleOptions } from './elle-options.js';
import { judgeTransactions } from './elle-run.js';
import { analyzeListAppend } from './list-append.js';
import { analyzeRwRegister } from './rw-register.js';
import { collectTxns } from './transactions.js';

const txnOps: ReadonlySet<string> = new Set(['txn']);

/**
 * Elle (Kingsbury & Alvaro, VLDB 2020) for transactional histories: `list-append` (appends of
 * unique elements, reads of whole lists) and `rw-register` (writes of unique values, reads).
 * Client ops with `f: "txn"` are transactions; their value is a list of micro-ops.
 */
export const elleChecker: Checker = {
  name: 'elle',
  models: ['list-append', 'rw-register'],
  async check(history: readonly Op[], model: string, options?: CheckOptions): Promise<CheckResult> {
    return checkElle(history, model, options);
  },
  historyDefaults: () => ({ f: 'txn' }),
};

/** Synchronous form, for benchmarks and tests. */
export function checkElle(history: readonly Op[], model: string, options?: CheckOptions): CheckResult {
  const started = performance.now();
  const opts = elleOptions(options);
  const txns = collectTxns(history, txnOps);
  const anomalies = new AnomalyCollector(opts.maxAnomaliesPerType);
  switch (model) {
    case 'list-append':
      return judgeTransactions('elle', model, txns, analyzeListAppend(txns, anomalies), anomalies, opts, started);
    case 'rw-register':
      return judgeTransactions('elle', model, txns, analyzeRwRegister(txns, anomalies, opts), anomalies, opts, started);
    default:
      throw new UsageError('KZ_CHECK_MODEL', `the elle checker judges list-append and rw-register histories, not ${JSON.stringify(model)}`);
  }
}
