import { UsageError } from '../../common/errors.js';
import { findModel } from '../models/index.js';
import type { Model, ModelOp } from '../models/model.js';
import { canonicalJson, showValue } from '../models/model-values.js';
import { analyseFailure } from './failure-analysis.js';
import type { HistoryPartition, PartitionOp } from './history-partition.js';
import type { PartitionCheckResult, PartitionStats } from './partition-result.js';
import { TransitionTable } from './transition-table.js';
import { LinearizationSearch, type SearchProblem } from './wgl-search.js';

/** Everything needed to check one partition; plain data, so a worker thread can take it. */
export interface PartitionCheckRequest {
  model: string;
  init: unknown;
  partition: HistoryPartition;
  /** Date.now() past which the partition is unknown. */
  deadline: number;
  maxCacheBytes: number;
  maxFinalPaths: number;
}

/** The searched ops of a partition, numbered as the search needs (ok by completion, then info). */
export interface PreparedPartition {
  problem: SearchProblem;
  /** entry -> index into partition.ops */
  entryOps: number[];
  modelOps: ModelOp[];
  noOps: boolean[];
}

/**
 * A partition being checked: prepared once, then advanced in slices of search steps until it
 * has a verdict (so partitions can share a thread and stop early).
 */
export class PartitionRun {
  private readonly prepared: PreparedPartition;
  private readonly table: TransitionTable<unknown>;
  private readonly search: LinearizationSearch;
  private elapsedMs = 0;

  constructor(readonly req: PartitionCheckRequest) {
    const started = performance.now();
    const model = requireModel(req.model);
    this.prepared = preparePartition(model, req.partition);
    this.table = new TransitionTable(model, this.prepared.modelOps, model.initial(req.init, req.partition.key));
    this.search = new LinearizationSearch(this.prepared.problem, this.table, { deadline: req.deadline, maxCacheBytes: req.maxCacheBytes });
    this.elapsedMs += performance.now() - started;
  }

  /** Searches at most `maxLoops` more steps; the result once there is a verdict. */
  advance(maxLoops = Infinity): PartitionCheckResult | undefined {
    const started = performance.now();
    const outcome = this.search.run(maxLoops);
    this.elapsedMs += performance.now() - started;
    if (!outcome) return undefined;
    const { partition } = this.req;
    const result: PartitionCheckResult = {
      label: partition.label,
      verdict: outcome.verdict,
      stats: this.stats(),
    };
    if (partition.key !== undefined) result.key = partition.key;
    if (outcome.verdict === 'unknown') result.cause = outcome.cause;
    if (outcome.verdict === 'invalid') {
      const t = performance.now();
      result.failure = analyseFailure({ partition, prepared: this.prepared, table: this.table, search: this.search, maxFinalPaths: this.req.maxFinalPaths });
      this.elapsedMs += performance.now() - t;
      result.stats.elapsedMs = this.elapsedMs;
    }
    return result;
  }

  /** The answer for a partition the check stopped before deciding. */
  stopped(): PartitionCheckResult {
    return stoppedResult(this.req, this.stats());
  }

  private stats(): PartitionStats {
    const { partition } = this.req;
    return {
      ops: partition.ops.length,
      searchedOps: this.prepared.problem.entryCount,
      noOps: this.prepared.noOps.filter(Boolean).length,
      infoOps: partition.ops.filter((o) => o.outcome === 'info').length,
      cacheEntries: this.search.cache.size,
      states: this.table.stateCount,
      steps: this.search.steps,
      elapsedMs: this.elapsedMs,
    };
  }
}

/** Checks one partition to the end. */
export function checkPartition(req: PartitionCheckRequest): PartitionCheckResult {
  return new PartitionRun(req).advance()!;
}

/** A partition not decided because the check ended early (after a violation elsewhere, or a crashed worker). */
export function stoppedResult(req: PartitionCheckRequest, stats?: PartitionStats, cause: PartitionCheckResult['cause'] = 'stopped'): PartitionCheckResult {
  const result: PartitionCheckResult = {
    label: req.partition.label,
    verdict: 'unknown',
    cause,
    stats: stats ?? { ops: req.partition.ops.length, searchedOps: 0, noOps: 0, infoOps: 0, cacheEntries: 0, states: 0, steps: 0, elapsedMs: 0 },
  };
  if (req.partition.key !== undefined) result.key = req.partition.key;
  return result;
}

export function requireModel(name: string): Model<unknown> {
  const model = findModel(name);
  if (!model) throw new UsageError('KZ_CHECK_UNKNOWN_MODEL', `no linearizability model '${name}'`);
  return model;
}

/**
 * Numbers the partition's ops for the search and lays out the call/return list. Ops the model
 * calls no-ops (reads of nil) are left out: they can neither fail nor constrain others.
 */
export function preparePartition(model: Model<unknown>, partition: HistoryPartition): PreparedPartition {
  const modelOps: ModelOp[] = [];
  const noOps: boolean[] = [];
  const searched: number[] = [];
  partition.ops.forEach((op, i) => {
    const m = toModelOp(op);
    if (!model.operations.includes(op.f)) {
      throw new UsageError('KZ_CHECK_MODEL_MISMATCH', `op ${op.invokeIndex} is '${op.f}', which the ${model.name} model does not have; its operations are ${model.operations.join(', ')}`);
    }
    const problem = model.validate(m);
    if (problem) throw new UsageError('KZ_CHECK_MODEL_MISMATCH', `op ${op.invokeIndex} (${op.f} ${showValue(op.value)}): ${problem}`);
    const noOp = model.isNoOp(m);
    noOps.push(noOp);
    if (!noOp) searched.push(i);
  });
  const byCompletion = (a: number, b: number) => partition.ops[a]!.completeIndex! - partition.ops[b]!.completeIndex!;
  const byInvoke = (a: number, b: number) => partition.ops[a]!.invokeIndex - partition.ops[b]!.invokeIndex;
  const okOps = searched.filter((i) => partition.ops[i]!.outcome === 'ok').sort(byCompletion);
  const infoOps = searched.filter((i) => partition.ops[i]!.outcome === 'info').sort(byInvoke);
  const entryOps = [...okOps, ...infoOps];

  // Calls and ok returns in history order; info returns after everything.
  const timed: { at: number; node: number }[] = [];
  entryOps.forEach((i, entry) => {
    const op: PartitionOp = partition.ops[i]!;
    timed.push({ at: op.invokeIndex, node: 2 * entry });
    if (op.outcome === 'ok') timed.push({ at: op.completeIndex!, node: 2 * entry + 1 });
  });
  timed.sort((a, b) => a.at - b.at);
  const events = new Int32Array(2 * entryOps.length);
  timed.forEach((t, i) => (events[i] = t.node));
  for (let e = okOps.length, i = timed.length; e < entryOps.length; e++, i++) events[i] = 2 * e + 1;

  // Identical info ops (same f, value and key) are interchangeable; chain each to its earlier twin.
  const infoTwin = new Int32Array(infoOps.length).fill(-1);
  const lastWithSignature = new Map<string, number>();
  infoOps.forEach((i, n) => {
    const op = partition.ops[i]!;
    const signature = canonicalJson([op.f, op.value, op.key ?? null]);
    const twin = lastWithSignature.get(signature);
    if (twin !== undefined) infoTwin[n] = twin;
    lastWithSignature.set(signature, okOps.length + n);
  });

  const readOnly = new Uint8Array(entryOps.length);
  entryOps.forEach((i, entry) => {
    if (entry < okOps.length && model.isReadOnly?.(modelOps[i]!)) readOnly[entry] = 1;
  });

  return {
    problem: { entryCount: entryOps.length, okCount: okOps.length, events, infoTwin, readOnly, growth: growthIndex(model, partition, entryOps, modelOps, readOnly) },
    entryOps,
    modelOps: entryOps.map((i) => modelOps[i]!),
    noOps,
  };

  function toModelOp(op: PartitionOp): ModelOp {
    const m: ModelOp = { f: op.f, value: op.value };
    if (op.key !== undefined) m.key = op.key;
    modelOps.push(m);
    return m;
  }
}

/**
 * For models whose state only grows: for each read, the non-growing entries (puts) invoked
 * before the read returned that could reset the state to one the read may follow from.
 * Null for other models.
 */
function growthIndex(
  model: Model<unknown>,
  partition: HistoryPartition,
  entryOps: readonly number[],
  modelOps: readonly ModelOp[],
  readOnly: Uint8Array,
): SearchProblem['growth'] {
  if (!model.growsOnly || !model.mayStillFit) return null;
  const resetting = entryOps.map((_, entry) => entry).filter((entry) => !model.growsOnly!(modelOps[entryOps[entry]!]!));
  const resetterStart = new Int32Array(entryOps.length + 1);
  const resetters: number[] = [];
  entryOps.forEach((i, entry) => {
    resetterStart[entry] = resetters.length;
    if (readOnly[entry] !== 1) return;
    const returnsAt = partition.ops[i]!.completeIndex!;
    const read = modelOps[i]!;
    for (const e of resetting) {
      if (e === entry || partition.ops[entryOps[e]!]!.invokeIndex >= returnsAt) continue;
      // A reset to a known state (a put) helps only if the read could follow from that state.
      const reset = model.resetState?.(modelOps[entryOps[e]!]!);
      if (reset !== undefined && !model.mayStillFit!(reset, read)) continue;
      resetters.push(e);
    }
  });
  resetterStart[entryOps.length] = resetters.length;
  return { resetterStart, resetters: Int32Array.from(resetters) };
}
