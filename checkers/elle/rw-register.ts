import { AnomalyCollector } from './anomaly-collector.js';
import type { DataExplainer, StepExplanation } from './cycle-explanation.js';
import { DependencyGraphBuilder } from './dependency-graph.js';
import type { ElleOptions } from './elle-options.js';
import { MicroOp, microOps } from './micro-ops.js';
import { Rel } from './rels.js';
import { stronglyConnectedComponents } from './strongly-connected.js';
import { displayIndex, Txn, TxnHistory } from './transactions.js';
import { showValue, ValueId, valueId } from './value-identity.js';
import type { WorkloadAnalysis } from './workload-analysis.js';

/**
 * Elle's rw-register workload: transactions write unique values to registers (`[w k v]`) and
 * read them (`[r k v]`). Unlike list-append a read shows only the latest version, so the
 * version order must be inferred: every key starts at nil (which precedes every written
 * value), and optionally
 *
 * - wfrKeys: within a transaction writes follow reads, so a read value precedes the value
 *   the same transaction then writes;
 * - sequentialKeys: each key is sequentially consistent, so a process's successive
 *   transactions see successive versions;
 * - linearizableKeys: each key is linearizable, so realtime order gives version order.
 *
 * Each source is merged only if it keeps every key's version graph acyclic; otherwise the
 * conflict is reported as `cyclic-versions` and that source is left out.
 */

const mopKinds: ReadonlySet<string> = new Set(['w', 'r']);
/** Elle's rw-register graph combines wr, then ww and rw; its explainer follows that order. */
const relationPriority = [Rel.wr, Rel.ww, Rel.rw, Rel.process, Rel.realtime];
const NIL: ValueId = null;

interface ExternalView {
  /** First read of each key not preceded by a write of it in the transaction. */
  reads: Map<ValueId, { key: unknown; value: unknown }>;
  /** Final write of each key. */
  writes: Map<ValueId, { key: unknown; value: unknown }>;
}

function externalView(mops: readonly MicroOp[]): ExternalView {
  const reads = new Map<ValueId, { key: unknown; value: unknown }>();
  const writes = new Map<ValueId, { key: unknown; value: unknown }>();
  for (const [f, k, v] of mops) {
    const id = valueId(k);
    if (f === 'w') writes.set(id, { key: k, value: v });
    else if (!writes.has(id) && !reads.has(id)) reads.set(id, { key: k, value: v });
  }
  return { reads, writes };
}

/** Per key: version -> versions known to come later. */
type VersionGraphs = Map<ValueId, Map<ValueId, Set<ValueId>>>;

function linkVersion(graphs: VersionGraphs, k: ValueId, from: ValueId, to: ValueId): void {
  if (from === to) return;
  let g = graphs.get(k);
  if (!g) graphs.set(k, (g = new Map()));
  let outs = g.get(from);
  if (!outs) g.set(from, (outs = new Set()));
  outs.add(to);
}

function mergeVersionGraphs(into: VersionGraphs, from: VersionGraphs): VersionGraphs {
  const merged: VersionGraphs = new Map();
  for (const src of [into, from]) {
    for (const [k, g] of src) for (const [a, bs] of g) for (const b of bs) linkVersion(merged, k, a, b);
  }
  return merged;
}

/** Cycles in any key's version graph, as (key, versions in the cycle). */
function versionCycles(graphs: VersionGraphs): { key: ValueId; versions: ValueId[] }[] {
  const found: { key: ValueId; versions: ValueId[] }[] = [];
  for (const [k, g] of graphs) {
    const ids = new Map<ValueId, number>();
    const values: ValueId[] = [];
    const id = (v: ValueId) => {
      let i = ids.get(v);
      if (i === undefined) {
        ids.set(v, (i = values.length));
        values.push(v);
      }
      return i;
    };
    const edges: [number, number][] = [];
    for (const [a, bs] of g) for (const b of bs) edges.push([id(a), id(b)]);
    const builder = new DependencyGraphBuilder(values.length);
    for (const [a, b] of edges) builder.link(a, b, Rel.ww);
    for (const scc of stronglyConnectedComponents(builder.build(), Rel.ww)) found.push({ key: k, versions: [...scc].map((i) => values[i]!) });
  }
  return found;
}

export function analyzeRwRegister(history: TxnHistory, anomalies: AnomalyCollector, opts: ElleOptions): WorkloadAnalysis {
  const txns = history.vertices;
  const mops = txns.map((t) => microOps(t, mopKinds, 'rw-register'));
  const views = mops.map(externalView);
  const failedMops = history.failed.map((t) => microOps(t, mopKinds, 'rw-register'));
  const builder = new DependencyGraphBuilder(txns.length);
  const keyNames = new Map<ValueId, unknown>();

  // External writes and reads of committed transactions, by key and value.
  const writers = new Map<ValueId, Map<ValueId, number[]>>();
  const readers = new Map<ValueId, Map<ValueId, number[]>>();
  const index = (idx: Map<ValueId, Map<ValueId, number[]>>, k: ValueId, v: ValueId, t: number) => {
    let byValue = idx.get(k);
    if (!byValue) idx.set(k, (byValue = new Map()));
    const list = byValue.get(v);
    if (list) list.push(t);
    else byValue.set(v, [t]);
  };
  txns.forEach((t, v) => {
    if (t.outcome !== 'ok') return;
    for (const [k, w] of views[v]!.writes) {
      keyNames.set(k, w.key);
      index(writers, k, valueId(w.value), v);
    }
    for (const [k, r] of views[v]!.reads) {
      keyNames.set(k, r.key);
      index(readers, k, valueId(r.value), v);
    }
  });

  // wr: a read names its writer, because written values are unique.
  for (const [k, byValue] of readers) {
    for (const [value, rs] of byValue) {
      const ws = writers.get(k)?.get(value) ?? [];
      if (ws.length > 1) {
        return {
          builder,
          explainer: { explain: () => null },
          relationPriority,
          unusable: {
            type: 'duplicate-writes',
            explanation: `key ${showValue(keyNames.get(k))} had value ${showValue(value)} written by more than one op (${ws.map((w) => displayIndex(txns[w]!)).join(', ')}); rw-register needs unique writes per key`,
          },
        };
      }
      if (ws.length === 1) for (const r of rs) builder.link(ws[0]!, r, Rel.wr);
    }
  }

  // Version orders, source by source.
  const sources: { name: string; build: () => VersionGraphs }[] = [{ name: 'initial-state', build: () => initialStateVersions(txns, views) }];
  if (opts.wfrKeys) sources.push({ name: 'wfr-keys', build: () => wfrVersions(txns, views) });
  if (opts.sequentialKeys) sources.push({ name: 'sequential-keys', build: () => sessionVersions(txns, views, 'process') });
  if (opts.linearizableKeys) sources.push({ name: 'linearizable-keys', build: () => sessionVersions(txns, views, 'realtime') });
  let versions: VersionGraphs = new Map();
  const used: string[] = [];
  for (const source of sources) {
    const candidate = mergeVersionGraphs(versions, source.build());
    const cycles = versionCycles(candidate);
    if (cycles.length === 0) {
      versions = candidate;
      used.push(source.name);
      continue;
    }
    for (const c of cycles) {
      anomalies.add('cyclic-versions', () => ({
        explanation: `assuming ${[...used, source.name].join(' + ')}, the versions of key ${showValue(keyNames.get(c.key))} would form a cycle (${c.versions.map(showValue).join(', ')}); that assumption does not hold and was not used`,
        data: { key: keyNames.get(c.key), versions: c.versions, sources: [...used, source.name] },
      }));
    }
  }

  // ww and rw from each version edge v1 -> v2.
  for (const [k, g] of versions) {
    const w = writers.get(k);
    const r = readers.get(k);
    for (const [v1, v2s] of g) {
      for (const v2 of v2s) {
        const next = w?.get(v2);
        if (!next) continue;
        for (const a of w?.get(v1) ?? []) for (const b of next) builder.link(a, b, Rel.ww);
        for (const a of r?.get(v1) ?? []) for (const b of next) builder.link(a, b, Rel.rw);
      }
    }
  }

  nonCycleCases(history, mops, failedMops, anomalies);
  return {
    builder,
    explainer: new RwRegisterExplainer(views, versions),
    relationPriority,
    stats: { keys: keyNames.size, versionSources: used.length },
  };
}

function initialStateVersions(txns: readonly Txn[], views: readonly ExternalView[]): VersionGraphs {
  const graphs: VersionGraphs = new Map();
  txns.forEach((t, v) => {
    for (const [k, w] of views[v]!.writes) if (w.value !== null && w.value !== undefined) linkVersion(graphs, k, NIL, valueId(w.value));
    if (t.outcome !== 'ok') return; // an indeterminate op's reads are unknown
    for (const [k, r] of views[v]!.reads) if (r.value !== null && r.value !== undefined) linkVersion(graphs, k, NIL, valueId(r.value));
  });
  return graphs;
}

function wfrVersions(txns: readonly Txn[], views: readonly ExternalView[]): VersionGraphs {
  const graphs: VersionGraphs = new Map();
  txns.forEach((t, v) => {
    if (t.outcome !== 'ok') return;
    for (const [k, r] of views[v]!.reads) {
      const w = views[v]!.writes.get(k);
      if (w && r.value !== null && r.value !== undefined) linkVersion(graphs, k, valueId(r.value), valueId(w.value));
    }
  });
  return graphs;
}

const NONE = Symbol('none');

/** The version a transaction last left a key at (its write, else its read); info ops only by writes. */
function finalVersion(t: Txn, view: ExternalView, k: ValueId): ValueId | typeof NONE {
  const w = view.writes.get(k);
  if (t.outcome === 'info') return w ? valueId(w.value) : NONE;
  if (w) return valueId(w.value);
  const r = view.reads.get(k);
  return r ? valueId(r.value) : NONE;
}

/** The version a transaction first saw of a key (its read, else its write); info ops only by writes. */
function firstVersion(t: Txn, view: ExternalView, k: ValueId): ValueId | typeof NONE {
  if (t.outcome === 'info') {
    const w = view.writes.get(k);
    return w ? valueId(w.value) : NONE;
  }
  const r = view.reads.get(k);
  if (r) return valueId(r.value);
  const w = view.writes.get(k);
  return w ? valueId(w.value) : NONE;
}

/**
 * Versions from a session order restricted to each key: if T1 precedes T2 (same process, or
 * T1 completed before T2 began) and both touched k, T1's last version of k precedes T2's
 * first. We link each transaction only to its nearest successors on that key (a transitive
 * reduction), which implies the same order.
 */
function sessionVersions(txns: readonly Txn[], views: readonly ExternalView[], order: 'process' | 'realtime'): VersionGraphs {
  const graphs: VersionGraphs = new Map();
  const touching = new Map<ValueId, number[]>();
  txns.forEach((t, v) => {
    const keys = new Set<ValueId>(views[v]!.writes.keys());
    if (t.outcome === 'ok') for (const k of views[v]!.reads.keys()) keys.add(k);
    for (const k of keys) {
      const list = touching.get(k);
      if (list) list.push(v);
      else touching.set(k, [v]);
    }
  });
  const link = (k: ValueId, a: number, b: number) => {
    const v1 = finalVersion(txns[a]!, views[a]!, k);
    const v2 = firstVersion(txns[b]!, views[b]!, k);
    if (v1 !== NONE && v2 !== NONE) linkVersion(graphs, k, v1, v2);
  };
  for (const [k, vs] of touching) {
    if (order === 'process') {
      const last = new Map<unknown, number>();
      const oks = vs.filter((v) => txns[v]!.outcome === 'ok').sort((a, b) => txns[a]!.invoke.index - txns[b]!.invoke.index);
      for (const v of oks) {
        const prev = last.get(txns[v]!.process);
        if (prev !== undefined) link(k, prev, v);
        last.set(txns[v]!.process, v);
      }
    } else {
      // Elle's realtime reduction over just this key's transactions.
      const events: [number, number][] = [];
      for (const v of vs) {
        const t = txns[v]!;
        events.push([t.invoke.index, v + 1]);
        if (t.outcome === 'ok' && t.completion) events.push([t.completion.index, -(v + 1)]);
      }
      events.sort((a, b) => a[0] - b[0]);
      const buffer = new Set<number>();
      const preds = new Map<number, number[]>();
      for (const [, e] of events) {
        if (e > 0) {
          const v = e - 1;
          const p = [...buffer];
          for (const u of p) link(k, u, v);
          preds.set(v, p);
        } else {
          const v = -e - 1;
          for (const u of preds.get(v) ?? []) buffer.delete(u);
          buffer.add(v);
        }
      }
    }
  }
  return graphs;
}

function opsOf(...ts: Txn[]): number[] {
  return ts.map((t) => (t.completion ?? t.invoke).index);
}

function nonCycleCases(history: TxnHistory, mops: readonly (readonly MicroOp[])[], failedMops: readonly (readonly MicroOp[])[], anomalies: AnomalyCollector): void {
  const txns = history.vertices;
  // Writes of failed transactions, and intermediate writes (overwritten in the same transaction).
  const failed = new Map<string, Txn>();
  const intermediate = new Map<string, Txn>();
  const slot = (k: unknown, v: unknown) => `${String(valueId(k))}\u0001${typeof v}:${String(valueId(v))}`;
  const noteIntermediate = (t: Txn, ms: readonly MicroOp[]) => {
    const lastWrite = new Map<ValueId, number>();
    ms.forEach((m, i) => m[0] === 'w' && lastWrite.set(valueId(m[1]), i));
    ms.forEach((m, i) => m[0] === 'w' && lastWrite.get(valueId(m[1])) !== i && intermediate.set(slot(m[1], m[2]), t));
  };
  history.failed.forEach((t, i) => {
    for (const m of failedMops[i]!) if (m[0] === 'w') failed.set(slot(m[1], m[2]), t);
    noteIntermediate(t, failedMops[i]!);
  });
  txns.forEach((t, v) => noteIntermediate(t, mops[v]!));

  const lostUpdateGroups = new Map<string, { key: unknown; value: unknown; txns: Txn[] }>();
  txns.forEach((t, v) => {
    if (t.outcome !== 'ok') return;
    const state = new Map<ValueId, unknown>();
    let internalReported = false;
    const firstRead = new Map<ValueId, unknown>();
    const written = new Set<ValueId>();
    for (const m of mops[v]!) {
      const [f, k, value] = m;
      const kid = valueId(k);
      if (f === 'w') {
        state.set(kid, value);
        if (!written.has(kid) && firstRead.has(kid)) {
          written.add(kid);
          const read = firstRead.get(kid);
          const sig = `${String(kid)}\u0001${typeof read}:${String(valueId(read))}`;
          let g = lostUpdateGroups.get(sig);
          if (!g) lostUpdateGroups.set(sig, (g = { key: k, value: read, txns: [] }));
          g.txns.push(t);
        }
        continue;
      }
      if (!firstRead.has(kid)) firstRead.set(kid, value);
      if (state.has(kid) && valueId(state.get(kid)) !== valueId(value) && !internalReported) {
        internalReported = true;
        const expected = state.get(kid);
        anomalies.add('internal', () => ({
          explanation: `op ${displayIndex(t)} read key ${showValue(k)} = ${showValue(value)}, but earlier in the same transaction it read or wrote ${showValue(expected)}`,
          ops: opsOf(t),
          data: { key: k, mop: m, expected },
        }));
      }
      state.set(kid, value);
      if (value === null || value === undefined) continue;
      const w = failed.get(slot(k, value));
      if (w) {
        anomalies.add('G1a', () => ({
          explanation: `op ${displayIndex(t)} read key ${showValue(k)} = ${showValue(value)}, written by op ${displayIndex(w)}, which failed: an aborted read`,
          ops: opsOf(t, w),
          data: { key: k, value, mop: m, writer: displayIndex(w) },
        }));
      }
      const im = intermediate.get(slot(k, value));
      if (im && im !== t) {
        anomalies.add('G1b', () => ({
          explanation: `op ${displayIndex(t)} read key ${showValue(k)} = ${showValue(value)}, which op ${displayIndex(im)} wrote and then overwrote in the same transaction: an intermediate read`,
          ops: opsOf(t, im),
          data: { key: k, value, mop: m, writer: displayIndex(im) },
        }));
      }
    }
  });
  for (const g of lostUpdateGroups.values()) {
    if (g.txns.length < 2) continue;
    anomalies.add('lost-update', () => ({
      explanation: `ops ${g.txns.map(displayIndex).join(', ')} all read key ${showValue(g.key)} = ${showValue(g.value)} and all wrote it, so each overwrote a state another had already changed: a lost update`,
      ops: opsOf(...g.txns),
      data: { key: g.key, value: g.value, txns: g.txns.map(displayIndex) },
    }));
  }
}

class RwRegisterExplainer implements DataExplainer {
  constructor(
    private readonly views: readonly ExternalView[],
    private readonly versions: VersionGraphs,
  ) {}

  explain(a: Txn, b: Txn, rel: number): StepExplanation | null {
    const va = this.views[a.vertex]!;
    const vb = this.views[b.vertex]!;
    if (rel === Rel.wr) {
      for (const [k, w] of va.writes) {
        const r = vb.reads.get(k);
        if (r && valueId(r.value) === valueId(w.value)) {
          return {
            rel: 'wr',
            key: w.key,
            data: { key: w.key, value: w.value },
            render: (an, bn) => `${an} wrote ${showValue(w.key)} = ${showValue(w.value)}, which was read by ${bn}`,
          };
        }
      }
      return null;
    }
    const from = rel === Rel.ww ? va.writes : va.reads;
    for (const [k, x] of from) {
      const y = vb.writes.get(k);
      if (!y || !this.versions.get(k)?.get(valueId(x.value))?.has(valueId(y.value))) continue;
      if (rel === Rel.ww) {
        return {
          rel: 'ww',
          key: x.key,
          data: { key: x.key, value: x.value, value2: y.value },
          render: (an, bn) => `${an} set key ${showValue(x.key)} to ${showValue(x.value)}, and ${bn} set it to ${showValue(y.value)}, which came later in the version order`,
        };
      }
      return {
        rel: 'rw',
        key: x.key,
        data: { key: x.key, value: x.value ?? null, value2: y.value },
        render: (an, bn) => `${an} read key ${showValue(x.key)} = ${showValue(x.value)}, and ${bn} set it to ${showValue(y.value)}, which came later in the version order`,
      };
    }
    return null;
  }
}
