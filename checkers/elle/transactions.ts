import type { Op, ProcessId } from '../history/op.js';
import { pairOps } from '../history/op-pairs.js';

/**
 * A client operation as the cycle checkers see it: one vertex of the dependency graph when
 * it may have happened (ok or info), or a failed operation kept aside for aborted-read checks.
 */
export interface Txn {
  /** Graph vertex (0..n-1) for ok/info transactions; -1 for failed ones. */
  vertex: number;
  outcome: 'ok' | 'info' | 'fail';
  process: ProcessId;
  f: string;
  /** ok: the completion's value; info and fail: the invocation's (reads unknown). */
  value: unknown;
  invoke: Op;
  completion?: Op;
}

export interface TxnHistory {
  /** ok and info transactions, indexed by vertex, in order of completion (open ones last). */
  vertices: Txn[];
  failed: Txn[];
  /** Client ops of other kinds, in history order (Kafka's assign/subscribe), as pairs. */
  others: Txn[];
}

/**
 * Pairs invocations with completions (checkers/history) and keeps the ops whose `f` is in
 * `fs`. Vertices are numbered in completion order, which is the order Elle meets them and
 * the order cycle searches try them.
 */
export function collectTxns(history: readonly Op[], fs: ReadonlySet<string>): TxnHistory {
  const paired = pairOps(history);
  const possible: Txn[] = [];
  const others: Txn[] = [];
  for (const p of paired.pairs) {
    const txn: Txn = {
      vertex: -1,
      outcome: p.outcome,
      process: p.process,
      f: p.f,
      value: p.outcome === 'info' && p.completion && Array.isArray(p.completion.value) && !Array.isArray(p.invoke.value) ? p.completion.value : p.value,
      invoke: p.invoke,
      completion: p.completion,
    };
    (fs.has(p.f) ? possible : others).push(txn);
  }
  const failed: Txn[] = paired.failed
    .filter((p) => fs.has(p.invoke.f))
    .map((p) => ({
      vertex: -1,
      outcome: 'fail' as const,
      process: p.invoke.process,
      f: p.invoke.f,
      // A failed op's completion may echo what it tried; fall back to the invocation.
      value: p.completion.value !== undefined ? p.completion.value : p.invoke.value,
      invoke: p.invoke,
      completion: p.completion,
    }));
  possible.sort((a, b) => completionPosition(a) - completionPosition(b));
  possible.forEach((t, i) => (t.vertex = i));
  others.sort((a, b) => a.invoke.index - b.invoke.index);
  return { vertices: possible, failed, others };
}

function completionPosition(t: Txn): number {
  return t.completion ? t.completion.index : Number.MAX_SAFE_INTEGER - 1e6 + t.invoke.index;
}

/** The index a report shows for a transaction: its completion's, as Elle names ops, in the source's numbering. */
export function displayIndex(t: Txn): number {
  const op = t.completion ?? t.invoke;
  return op.sourceIndex ?? op.index;
}
