import type { DataExplainer, StepExplanation } from '../elle/cycle-explanation.js';
import { DependencyGraphBuilder } from '../elle/dependency-graph.js';
import { Rel } from '../elle/rels.js';
import type { Txn } from '../elle/transactions.js';
import { showValue, ValueId } from '../elle/value-identity.js';
import type { WorkloadAnalysis } from '../elle/workload-analysis.js';
import type { KafkaOp } from './kafka-ops.js';
import type { QueueIndexes } from './queue-analysis.js';

/**
 * Dependencies between Kafka operations, for Elle's cycle search:
 *
 * - wr: T2 polled a record T1 sent;
 * - ww (only with wwDeps): T1's send is the record just before T2's in a partition's log;
 * - rw: T1's highest poll of a partition was v, and T2 sent the record right after v: T1
 *   did not see T2's send. Only the highest read counts: earlier ones were overtaken by T1
 *   itself, so they say nothing about what T1 failed to see.
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
  const vertices = ix.history.vertices;
  const builder = new DependencyGraphBuilder(vertices.length);
  let unwritten = 0;
  const vertexWriter = (k: string, v: ValueId): number => {
    const w = ix.writerOf.get(k)?.get(v);
    return w && w.vertex >= 0 ? w.vertex : -1;
  };

  for (const [k, byValue] of ix.readersOf) {
    for (const [v, readers] of byValue) {
      const writer = ix.writerOf.get(k)?.get(v);
      if (!writer) {
        unwritten++;
        continue;
      }
      if (writer.vertex < 0) continue; // a failed writer: reported as G1a, not an edge
      for (const r of readers) if (r.vertex >= 0) builder.link(writer.vertex, r.vertex, Rel.wr);
    }
  }
  if (opts.wwDeps) {
    for (const [k, byValue] of ix.writerOf) {
      const vo = ix.orders.get(k);
      if (!vo) continue;
      for (const [v2, w2] of byValue) {
        const i = vo.byValue.get(v2);
        if (i === undefined || i === 0 || w2.vertex < 0) continue;
        const w1 = vertexWriter(k, vo.byIndex[i - 1]!);
        if (w1 >= 0) builder.link(w1, w2.vertex, Rel.ww);
      }
    }
  }
  if (opts.rwDeps) {
    for (const o of vertices) {
      for (const [k, rs] of o.reads) {
        const next = nextAfterHighestRead(ix, k, rs.map((r) => r.id));
        if (next === undefined) continue;
        const w = vertexWriter(k, next);
        if (w >= 0) builder.link(o.vertex, w, Rel.rw);
      }
    }
  }
  return { builder, explainer: new KafkaExplainer(ix, vertices), relationPriority, unwritten, stats: { partitions: ix.orders.size } };
}

function nextAfterHighestRead(ix: QueueIndexes, k: string, read: ValueId[]): ValueId | undefined {
  const vo = ix.orders.get(k);
  if (!vo || read.length === 0) return undefined;
  let highest = -1;
  for (const v of read) highest = Math.max(highest, vo.byValue.get(v) ?? -1);
  return highest >= 0 ? vo.byIndex[highest + 1] : undefined;
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
    const show = (k: string, v: ValueId) => showValue(this.ix.orders.get(k)?.original.get(v) ?? v);
    if (rel === Rel.wr) {
      for (const [k, rs] of ob.reads) {
        const r = rs.find((x) => this.ix.writerOf.get(k)?.get(x.id) === oa);
        if (r) return { rel: 'wr', key: k, data: { key: k, value: r.value }, render: (an, bn) => `${an} sent ${show(k, r.id)} to ${k}, which was polled by ${bn}` };
      }
    } else if (rel === Rel.ww) {
      for (const [k, ws] of ob.writes) {
        const vo = this.ix.orders.get(k);
        for (const w of ws) {
          const i = vo?.byValue.get(w.id);
          if (i === undefined || i === 0) continue;
          const prev = vo!.byIndex[i - 1]!;
          if (this.ix.writerOf.get(k)?.get(prev) !== oa) continue;
          return { rel: 'ww', key: k, data: { key: k, value: vo!.original.get(prev), value2: w.value }, render: (an, bn) => `${an} sent ${show(k, prev)} to ${k} just before ${bn} sent ${show(k, w.id)}` };
        }
      }
    } else if (rel === Rel.rw) {
      for (const [k, rs] of oa.reads) {
        const next = nextAfterHighestRead(this.ix, k, rs.map((r) => r.id));
        if (next === undefined || this.ix.writerOf.get(k)?.get(next) !== ob) continue;
        const vo = this.ix.orders.get(k)!;
        const highest = vo.byIndex[vo.byValue.get(next)! - 1]!;
        return {
          rel: 'rw',
          key: k,
          data: { key: k, value: vo.original.get(highest), value2: vo.original.get(next) },
          render: (an, bn) => `${an} polled ${k} up to ${show(k, highest)} but not ${show(k, next)}, the next record, which ${bn} sent`,
        };
      }
    }
    return null;
  }
}
