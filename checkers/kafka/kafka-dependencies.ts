import type { DataExplainer, StepExplanation } from '../elle/cycle-explanation.js';
import { DependencyGraphBuilder } from '../elle/dependency-graph.js';
import { Rel } from '../elle/rels.js';
import type { Txn } from '../elle/transactions.js';
import { showValue } from '../elle/value-identity.js';
import type { WorkloadAnalysis } from '../elle/workload-analysis.js';
import { KafkaOp, Run, runOf, runValues } from './kafka-ops.js';
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
  const ops = ix.history.ops;
  const vertices = ix.history.vertices;
  // About one wr edge per polled run, plus realtime edges (the caller's concurrency) to come.
  let runs = 0;
  for (const o of vertices) runs += o.reads.length + o.writes.length;
  const builder = new DependencyGraphBuilder(vertices.length, runs * 1.5 + vertices.length * 12);
  let unwritten = 0;
  const vertexOf = (p: number, v: number): number => {
    const at = ix.writerOf[p]![v]!;
    return at < 0 ? -2 : ops[at]!.vertex;
  };

  const vs = ix.history.records.values;
  for (const reader of vertices) {
    for (const run of reader.reads) {
      let last = -1;
      for (let i = run.start, end = run.start + run.length; i < end; i++) {
        const v = vs[i]!;
        const w = vertexOf(run.partition, v);
        if (w === -2) {
          unwritten++;
          continue;
        }
        // A failed writer is reported as G1a, not an edge; runs from one writer make one edge.
        if (w < 0 || w === last) continue;
        last = w;
        builder.link(w, reader.vertex, Rel.wr);
      }
    }
  }
  if (opts.wwDeps) {
    for (const writer of vertices) {
      for (const run of writer.writes) {
        const vo = ix.orders[run.partition]!;
        for (let r = run.start, end = run.start + run.length; r < end; r++) {
          const i = vo.byValue[vs[r]!]!;
          if (i <= 0) continue;
          const w1 = vertexOf(run.partition, vo.byIndex[i - 1]!);
          if (w1 >= 0) builder.link(w1, writer.vertex, Rel.ww);
        }
      }
    }
  }
  if (opts.rwDeps) {
    for (const o of vertices) {
      for (const run of o.reads) {
        const next = nextAfterHighestRead(ix, run);
        if (next < 0) continue;
        const w = vertexOf(run.partition, next);
        if (w >= 0) builder.link(o.vertex, w, Rel.rw);
      }
    }
  }
  return { builder, explainer: new KafkaExplainer(ix, vertices), relationPriority, unwritten, stats: { partitions: ix.orders.length } };
}

/** The value right after the highest one this run read, in the partition's log; -1 if none. */
function nextAfterHighestRead(ix: QueueIndexes, run: Run): number {
  const vo = ix.orders[run.partition]!;
  let highest = -1;
  const vs = ix.history.records.values;
  for (let i = run.start, end = run.start + run.length; i < end; i++) highest = Math.max(highest, vo.byValue[vs[i]!]!);
  return highest >= 0 && highest + 1 < vo.byIndex.length ? vo.byIndex[highest + 1]! : -1;
}

/** Elle's view of a Kafka op: the completion's value, whatever the outcome. */
export function asTxns(vertices: readonly KafkaOp[]): Txn[] {
  return vertices.map((o) => ({
    vertex: o.vertex,
    outcome: o.type,
    process: o.process,
    f: o.f,
    value: o.op.value ?? o.invoke.value,
    invoke: o.invoke,
    completion: o.op === o.invoke ? undefined : o.op,
  }));
}

class KafkaExplainer implements DataExplainer {
  constructor(
    private readonly ix: QueueIndexes,
    private readonly vertices: readonly KafkaOp[],
  ) {}

  explain(a: Txn, b: Txn, rel: number): StepExplanation | null {
    const oa = this.vertices[a.vertex]!;
    const ob = this.vertices[b.vertex]!;
    const ix = this.ix;
    const wrote = (p: number, v: number) => ix.writerOf[p]![v] === oa.position;
    const show = (p: number, v: number) => showValue(valueOf(ix, p, v));
    if (rel === Rel.wr) {
      for (const run of ob.reads) {
        const v = runValues(ix.history.records, run).find((x) => wrote(run.partition, x));
        if (v === undefined) continue;
        const k = partitionName(ix, run.partition);
        return { rel: 'wr', key: k, data: { key: k, value: valueOf(ix, run.partition, v) }, render: (an, bn) => `${an} sent ${show(run.partition, v)} to ${k}, which was polled by ${bn}` };
      }
    } else if (rel === Rel.ww) {
      for (const run of ob.writes) {
        const vo = ix.orders[run.partition]!;
        for (const v of runValues(ix.history.records, run)) {
          const i = vo.byValue[v]!;
          if (i <= 0 || !wrote(run.partition, vo.byIndex[i - 1]!)) continue;
          const prev = vo.byIndex[i - 1]!;
          const k = partitionName(ix, run.partition);
          return {
            rel: 'ww',
            key: k,
            data: { key: k, value: valueOf(ix, run.partition, prev), value2: valueOf(ix, run.partition, v) },
            render: (an, bn) => `${an} sent ${show(run.partition, prev)} to ${k} just before ${bn} sent ${show(run.partition, v)}`,
          };
        }
      }
    } else if (rel === Rel.rw) {
      for (const run of oa.reads) {
        const next = nextAfterHighestRead(ix, run);
        if (next < 0 || ix.writerOf[run.partition]![next] !== ob.position || !runOf(ob.writes, run.partition)) continue;
        const vo = ix.orders[run.partition]!;
        const highest = vo.byIndex[vo.byValue[next]! - 1]!;
        const k = partitionName(ix, run.partition);
        return {
          rel: 'rw',
          key: k,
          data: { key: k, value: valueOf(ix, run.partition, highest), value2: valueOf(ix, run.partition, next) },
          render: (an, bn) => `${an} polled ${k} up to ${show(run.partition, highest)} but not ${show(run.partition, next)}, the next record, which ${bn} sent`,
        };
      }
    }
    return null;
  }
}
