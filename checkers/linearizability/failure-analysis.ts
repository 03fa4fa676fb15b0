import type { PreparedPartition } from './check-partition.js';
import type { HistoryPartition, PartitionOp } from './history-partition.js';
import type { PartitionFailure, PathStep, ReportedOp, TimelineOp } from './partition-result.js';
import { INCONSISTENT, type TransitionTable } from './transition-table.js';
import type { LinearizationSearch } from './wgl-search.js';

/** Distinct final paths enumerated at most (Jepsen notes that printing them all can take hours). */
const MAX_PATHS_ENUMERATED = 1_000;
const MAX_PATH_STEPS = 50_000;

export interface FailureInput {
  partition: HistoryPartition;
  prepared: PreparedPartition;
  table: TransitionTable<unknown>;
  search: LinearizationSearch;
  maxFinalPaths: number;
}

/**
 * Knossos' forensic reconstruction of a non-linearizable history (wgl `invalid-analysis`):
 *  - the failing op is the ok op just past the longest contiguous run of ok ops (in completion
 *    order) that any explored configuration linearized;
 *  - previous-ok is the ok op completed just before it;
 *  - final paths start from each configuration that linearized everything before the failing
 *    op, and apply every order of every subset of the ops still pending at its completion,
 *    then the failing op, stopping at the first step the model rejects.
 */
export function analyseFailure({ partition, prepared, table, search, maxFinalPaths }: FailureInput): PartitionFailure {
  const { cache } = search;
  const { entryOps, problem } = prepared;
  let reached = 0;
  for (let e = 0; e < cache.size; e++) reached = Math.max(reached, Math.min(cache.contiguousPrefix(e), problem.okCount));
  const finalEntry = reached; // ok entries 0..reached-1 linearized somewhere; this one never
  const finalOp = partition.ops[entryOps[finalEntry]!]!;
  const finalAt = finalOp.completeIndex!;

  const report = (i: number): ReportedOp => reportOp(partition.ops[i]!);
  let previousOk: number | undefined;
  partition.ops.forEach((op, i) => {
    if (op.outcome === 'ok' && op.completeIndex! < finalAt && (previousOk === undefined || op.completeIndex! > partition.ops[previousOk]!.completeIndex!)) previousOk = i;
  });

  // Ops pending when the failing op completed: invoked before it, not completed ok before it.
  const pending: number[] = [];
  for (let e = 0; e < problem.entryCount; e++) {
    if (e === finalEntry) continue;
    const op = partition.ops[entryOps[e]!]!;
    if (op.invokeIndex < finalAt && (op.outcome === 'info' || op.completeIndex! > finalAt)) pending.push(e);
  }

  // Paths are walked as (entry, state) pairs and turned into reports only when kept.
  const seen = new Set<string>();
  const kept: { prefix: number; steps: [entry: number, state: number, before: number][] }[] = [];
  let count = 0;
  let walked = 0;
  let bounded = false;
  const trail: [number, number, number][] = [];
  const record = (signature: string, prefix: number) => {
    if (seen.has(signature)) return;
    seen.add(signature);
    count++;
    if (kept.length < maxFinalPaths) kept.push({ prefix, steps: trail.map((t) => [...t] as [number, number, number]) });
  };
  const extend = (state: number, used: Set<number>, remaining: readonly number[], signature: string, prefix: number) => {
    if (count >= MAX_PATHS_ENUMERATED || ++walked > MAX_PATH_STEPS) {
      bounded = true;
      return;
    }
    const last = table.step(state, finalEntry);
    trail.push([finalEntry, last, state]);
    record(`${signature}|${finalEntry}:${last}`, prefix);
    trail.pop();
    for (const e of remaining) {
      if (used.has(e)) continue;
      const next = table.step(state, e);
      trail.push([e, next, state]);
      if (next === INCONSISTENT) {
        record(`${signature}|${e}:x`, prefix);
      } else {
        used.add(e);
        extend(next, used, remaining, `${signature}|${e}:${next}`, prefix);
        used.delete(e);
      }
      trail.pop();
    }
  };
  for (let c = 0; c < cache.size && !bounded; c++) {
    if (cache.contiguousPrefix(c) < finalEntry) continue;
    const remaining = pending.filter((e) => !cache.has(c, e));
    extend(cache.stateOf(c), new Set(), remaining, `${cache.lastOpOf(c)}:${cache.stateOf(c)}`, c);
  }
  const paths: PathStep[][] = kept.map(({ prefix, steps }) => {
    const lastOp = cache.lastOpOf(prefix);
    const head: PathStep[] = lastOp < 0 ? [] : [{ op: report(entryOps[lastOp]!), state: table.describe(cache.stateOf(prefix)) }];
    return [
      ...head,
      ...steps.map(([entry, after, before]): PathStep => {
        const op = report(entryOps[entry]!);
        return after === INCONSISTENT ? { op, state: table.explain(before, entry) ?? 'inconsistent', inconsistent: true } : { op, state: table.describe(after) };
      }),
    ];
  });

  // The reason: the model's objection to the failing op on the shortest path ending at it.
  const atFinal = paths.filter((p) => p[p.length - 1]!.inconsistent && p[p.length - 1]!.op.invokeIndex === finalOp.invokeIndex);
  atFinal.sort((a, b) => a.length - b.length);
  const reason = atFinal[0]?.[atFinal[0].length - 1]!.state ?? 'no order of the pending ops lets it take effect';

  const timeline: TimelineOp[] = partition.ops.map((op, id) => {
    const t: TimelineOp = { id, process: op.process, f: op.f, value: op.value, outcome: op.outcome, invokeIndex: op.invokeIndex, completeIndex: op.completeIndex };
    if (prepared.noOps[id]) t.noOp = true;
    return t;
  });
  return {
    op: reportOp(finalOp),
    previousOk: previousOk === undefined ? null : report(previousOk),
    reason,
    finalPaths: paths,
    finalPathCount: count,
    finalPathsBounded: bounded,
    timeline,
    initialState: table.describe(0),
    longest: search.longest.entries.map((e, i) => ({ id: entryOps[e]!, state: table.describe(search.longest.states[i]!) })),
    failingId: entryOps[finalEntry]!,
  };
}

function reportOp(op: PartitionOp): ReportedOp {
  const r: ReportedOp = {
    index: op.completeIndex ?? op.invokeIndex,
    invokeIndex: op.invokeIndex,
    process: op.process,
    type: op.outcome,
    f: op.f,
    value: op.value,
  };
  if (op.key !== undefined) r.key = op.key;
  return r;
}
