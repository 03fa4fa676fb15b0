import type { DataExplainer, StepExplanation } from '../elle/cycle-explanation.js';
import { DependencyGraphBuilder } from '../elle/dependency-graph.js';
import { Rel } from '../elle/rels.js';
import type { Op } from '../history/op.js';
import type { Txn } from '../elle/transactions.js';
import { showValue } from '../elle/value-identity.js';
import type { WorkloadAnalysis } from '../elle/workload-analysis.js';
import type { KafkaHistory } from './kafka-history.js';
import { partitionName, QueueIndexes, valueOf } from './queue-analysis.js';

/**
 * Dependencies between Kafka operations, for Elle's cycle search:
 *
 * - wr: T2 polled a record T1 sent;
 * - ww (only with wwDeps): T1's send is the record just before T2's in a partition's log;
 * - rw (only with rwDeps): T1's highest poll of a partition was v, and T2 sent the record
 *   right after v: T1 did not see T2's send. Only the highest read counts: earlier ones were
 *   overtaken by T1 itself, so they say nothing about what T1 failed to see.
 *
 * Vertices are the ok and crashed send/poll/txn ops; failed ones cannot have happened.
 */
export interface KafkaDependencyOptions {
  wwDeps: boolean;
  rwDeps: boolean;
}

/** Jepsen combines ww before wr; rw comes after them. */
const relationPriority = [Rel.ww, Rel.wr, Rel.rw, Rel.process, Rel.realtime];

export function kafkaDependencies(ix: QueueIndexes, opts: KafkaDependencyOptions): WorkloadAnalysis & { unwritten: number } {
  const h = ix.history;
  const vertices = h.vertices;
  // About one wr edge per polled run, plus realtime edges (the caller's concurrency) to come.
  let runs = 0;
  for (const o of vertices) runs += h.runsFrom[o + 1]! - h.runsFrom[o]!;
  const builder = new DependencyGraphBuilder(vertices.length, runs * 1.5 + vertices.length * 12);
  let unwritten = 0;
  const vertexOf = (p: number, v: number): number => {
    const at = ix.writerOf[p]![v]!;
    return at < 0 ? -2 : h.vertexOf[at]!;
  };

  const vs = h.records.values;
  for (let reader = 0; reader < vertices.length; reader++) {
    const o = vertices[reader]!;
    for (let r = h.runsFrom[o]!, end = h.writesFrom[o]!; r < end; r++) {
      const p = h.runPartition[r]!;
      let last = -1;
      for (let i = h.runStart[r]!, stop = i + h.runLength[r]!; i < stop; i++) {
        const w = vertexOf(p, vs[i]!);
        if (w === -2) {
          unwritten++;
          continue;
        }
        // A failed writer is reported as G1a, not an edge; runs from one writer make one edge.
        if (w < 0 || w === last) continue;
        last = w;
        builder.link(w, reader, Rel.wr);
      }
    }
  }
  if (opts.wwDeps) {
    for (let writer = 0; writer < vertices.length; writer++) {
      const o = vertices[writer]!;
      for (let r = h.writesFrom[o]!, end = h.runsFrom[o + 1]!; r < end; r++) {
        const p = h.runPartition[r]!;
        const vo = ix.orders[p]!;
        for (let i = h.runStart[r]!, stop = i + h.runLength[r]!; i < stop; i++) {
          const at = vo.byValue[vs[i]!]!;
          if (at <= 0) continue;
          const w1 = vertexOf(p, vo.byIndex[at - 1]!);
          if (w1 >= 0) builder.link(w1, writer, Rel.ww);
        }
      }
    }
  }
  if (opts.rwDeps) {
    for (let reader = 0; reader < vertices.length; reader++) {
      const o = vertices[reader]!;
      for (let r = h.runsFrom[o]!, end = h.writesFrom[o]!; r < end; r++) {
        const next = nextAfterHighestRead(ix, r);
        if (next < 0) continue;
        const w = vertexOf(h.runPartition[r]!, next);
        if (w >= 0) builder.link(reader, w, Rel.rw);
      }
    }
  }
  return { builder, explainer: new KafkaExplainer(ix), relationPriority, unwritten, stats: { partitions: ix.orders.length } };
}

/** The value right after the highest one this read run saw, in the partition's log; -1 if none. */
function nextAfterHighestRead(ix: QueueIndexes, r: number): number {
  const h = ix.history;
  const vo = ix.orders[h.runPartition[r]!]!;
  let highest = -1;
  const vs = h.records.values;
  for (let i = h.runStart[r]!, end = i + h.runLength[r]!; i < end; i++) highest = Math.max(highest, vo.byValue[vs[i]!]!);
  return highest >= 0 && highest + 1 < vo.byIndex.length ? vo.byIndex[highest + 1]! : -1;
}

/**
 * Elle's view of one Kafka op (a graph vertex), built only for the few ops a cycle shows: its
 * value is the completion's (the invocation's when the completion has none), whatever the
 * outcome.
 */
export function kafkaTxn(h: KafkaHistory, vertex: number): Txn {
  const o = h.vertices[vertex]!;
  const process = h.process(o);
  const f = h.f(o);
  const head = (index: number, shown: number, time: number, type: Op['type']): Op => {
    const op: Op = { index, process, type, f };
    if (shown !== index) op.sourceIndex = shown;
    if (!Number.isNaN(time)) op.time = time;
    return op;
  };
  const invoke = head(h.invokeIndex[o]!, h.invokeShown[o]!, h.invokeTime[o]!, 'invoke');
  const outcome = h.type(o);
  return {
    vertex,
    outcome,
    process,
    f,
    value: h.valueOf(o),
    invoke,
    completion: h.completed[o] === 1 ? head(h.index[o]!, h.shown[o]!, h.time[o]!, outcome) : undefined,
  };
}

class KafkaExplainer implements DataExplainer {
  constructor(private readonly ix: QueueIndexes) {}

  explain(a: Txn, b: Txn, rel: number): StepExplanation | null {
    const ix = this.ix;
    const h = ix.history;
    const oa = h.vertices[a.vertex]!;
    const ob = h.vertices[b.vertex]!;
    const wrote = (p: number, v: number) => ix.writerOf[p]![v] === oa;
    const show = (p: number, v: number) => showValue(valueOf(ix, p, v));
    if (rel === Rel.wr) {
      for (let r = h.runsFrom[ob]!, end = h.writesFrom[ob]!; r < end; r++) {
        const p = h.runPartition[r]!;
        const v = h.runValues(r).find((x) => wrote(p, x));
        if (v === undefined) continue;
        const k = partitionName(ix, p);
        return { rel: 'wr', key: k, data: { key: k, value: valueOf(ix, p, v) }, render: (an, bn) => `${an} sent ${show(p, v)} to ${k}, which was polled by ${bn}` };
      }
    } else if (rel === Rel.ww) {
      for (let r = h.writesFrom[ob]!, end = h.runsFrom[ob + 1]!; r < end; r++) {
        const p = h.runPartition[r]!;
        const vo = ix.orders[p]!;
        for (const v of h.runValues(r)) {
          const i = vo.byValue[v]!;
          if (i <= 0 || !wrote(p, vo.byIndex[i - 1]!)) continue;
          const prev = vo.byIndex[i - 1]!;
          const k = partitionName(ix, p);
          return {
            rel: 'ww',
            key: k,
            data: { key: k, value: valueOf(ix, p, prev), value2: valueOf(ix, p, v) },
            render: (an, bn) => `${an} sent ${show(p, prev)} to ${k} just before ${bn} sent ${show(p, v)}`,
          };
        }
      }
    } else if (rel === Rel.rw) {
      for (let r = h.runsFrom[oa]!, end = h.writesFrom[oa]!; r < end; r++) {
        const p = h.runPartition[r]!;
        const next = nextAfterHighestRead(ix, r);
        if (next < 0 || ix.writerOf[p]![next] !== ob || h.writeOf(ob, p) < 0) continue;
        const vo = ix.orders[p]!;
        const highest = vo.byIndex[vo.byValue[next]! - 1]!;
        const k = partitionName(ix, p);
        return {
          rel: 'rw',
          key: k,
          data: { key: k, value: valueOf(ix, p, highest), value2: valueOf(ix, p, next) },
          render: (an, bn) => `${an} polled ${k} up to ${show(p, highest)} but not ${show(p, next)}, the next record, which ${bn} sent`,
        };
      }
    }
    return null;
  }
}
