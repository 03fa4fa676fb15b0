import { UsageError } from '../../common/errors.js';
import type { OpPair } from '../history/op-pairs.js';
import type { ProcessId } from '../history/op.js';
import { canonicalJson, showValue } from '../models/model-values.js';

/** One operation of a partition, as plain data (it crosses to worker threads). */
export interface PartitionOp {
  process: ProcessId;
  f: string;
  value: unknown;
  key?: unknown;
  outcome: 'ok' | 'info';
  /** History index of the invocation. */
  invokeIndex: number;
  /** History index of the ok/info completion; null when the op never completed. */
  completeIndex: number | null;
  invokeTime?: number;
  completeTime?: number;
}

/** The ops of one independent key (or the whole history). */
export interface HistoryPartition {
  key?: unknown;
  /** How reports name the partition: `key "a"`, or `history` when there is one. */
  label: string;
  ops: PartitionOp[];
}

export interface PartitionOptions {
  /** Jepsen `independent` histories: values are `[key value]` tuples. */
  independent?: boolean;
  /** The key of ops that have none, when the model gives them one (kv: ""). */
  defaultKey?: unknown;
}

/**
 * Splits a history into independent sub-histories (P-compositionality: a history is
 * linearizable iff each object's sub-history is). The key is the op's `key` field, or the
 * first half of a Jepsen independent tuple. Without keys the whole history is one partition.
 */
export function partitionHistory(pairs: readonly OpPair[], opts: PartitionOptions = {}): HistoryPartition[] {
  const groups = new Map<string, HistoryPartition>();
  let keyed = false;
  const ops = pairs.map((pair) => {
    const op = toPartitionOp(pair, opts.independent === true);
    if (op.key === undefined && opts.defaultKey !== undefined) op.key = opts.defaultKey;
    if (op.key !== undefined) keyed = true;
    return op;
  });
  if (!keyed) return [{ label: 'history', ops }];
  for (const op of ops) {
    const id = op.key === undefined ? '' : canonicalJson(op.key);
    let group = groups.get(id);
    if (!group) {
      group = { key: op.key, label: op.key === undefined ? 'ops without a key' : `key ${showValue(op.key)}`, ops: [] };
      groups.set(id, group);
    }
    group.ops.push(op);
  }
  return [...groups.values()];
}

function toPartitionOp(pair: OpPair, independent: boolean): PartitionOp {
  let value = pair.value;
  let key = pair.key;
  if (independent) {
    if (!Array.isArray(value) || value.length !== 2) {
      throw new UsageError('KZ_CHECK_NOT_INDEPENDENT', `op ${pair.invoke.index} has value ${showValue(value)}, not an independent [key value] tuple; drop --independent for a history of plain values`);
    }
    key = value[0];
    value = value[1];
  }
  const op: PartitionOp = {
    process: pair.process,
    f: pair.f,
    value,
    outcome: pair.outcome,
    invokeIndex: pair.invoke.index,
    completeIndex: pair.completion ? pair.completion.index : null,
  };
  if (key !== undefined) op.key = key;
  if (pair.invoke.time !== undefined) op.invokeTime = pair.invoke.time;
  if (pair.completion?.time !== undefined) op.completeTime = pair.completion.time;
  return op;
}
