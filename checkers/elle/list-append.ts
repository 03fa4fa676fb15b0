import { AnomalyCollector } from './anomaly-collector.js';
import type { DataExplainer, StepExplanation } from './cycle-explanation.js';
import { DependencyGraphBuilder } from './dependency-graph.js';
import { badMicroOp, MicroOp, microOps } from './micro-ops.js';
import { Rel } from './rels.js';
import { displayIndex, Txn, TxnHistory } from './transactions.js';
import { showValue, ValueId, valueId } from './value-identity.js';
import type { WorkloadAnalysis } from './workload-analysis.js';

/**
 * Elle's list-append workload: transactions append unique elements to lists (`[append k v]`)
 * and read whole lists (`[r k [v1 v2 ...]]`). Every read is a prefix of the key's version
 * order, so the longest read of a key gives that order, and from it every ww, wr and rw
 * dependency follows (Kingsbury & Alvaro, "Elle", §4).
 */

const mopKinds: ReadonlySet<string> = new Set(['append', 'r']);
/** Elle's list-append graph combines ww, wr, rw in that order; its explainer follows it. */
const relationPriority = [Rel.ww, Rel.wr, Rel.rw, Rel.process, Rel.realtime];
/** The state before any append: what an empty (or nil) read observed. */
const INIT = '\u0000init';
type Version = ValueId | typeof INIT;

interface KeyState {
  key: unknown;
  /** Element -> vertex of the ok/info transaction that appended it. */
  writer: Map<ValueId, number>;
  /** Element -> failed transaction that tried to append it. */
  failedWriter?: Map<ValueId, Txn>;
  /** Element -> transaction which appended it but later appended another element to this key. */
  intermediate?: Map<ValueId, Txn>;
  appendCount: number;
  /** The longest read (raw list), from which the version order comes. */
  longest?: readonly unknown[];
  /** Version order: distinct elements of the longest read; `position` indexes it. */
  order: ValueId[];
  position: Map<ValueId, number>;
  /** Last element observed (INIT for empty reads) -> vertices of the transactions that read it. */
  readers: Map<Version, number[]>;
  /** Some read here is not a prefix of the version order: check orders and duplicates the slow way. */
  suspicious: boolean;
}

function isRead(m: MicroOp): boolean {
  return m[0] === 'r';
}

export function analyzeListAppend(history: TxnHistory, anomalies: AnomalyCollector): WorkloadAnalysis {
  const txns = history.vertices;
  const keys = new Map<ValueId, KeyState>();
  const keyState = (k: unknown): KeyState => {
    const id = valueId(k);
    let s = keys.get(id);
    if (!s) {
      s = { key: k, writer: new Map(), appendCount: 0, order: [], position: new Map(), readers: new Map(), suspicious: false };
      keys.set(id, s);
    }
    return s;
  };
  const mops = txns.map((t) => microOps(t, mopKinds, 'list-append'));
  const failedMops = history.failed.map((t) => microOps(t, mopKinds, 'list-append'));

  // Appends must be unique per key, or versions are ambiguous (Elle: duplicate-appends).
  const duplicate = findDuplicateAppend([...txns, ...history.failed]);
  if (duplicate) {
    return { unusable: duplicate, builder: new DependencyGraphBuilder(txns.length), explainer: { explain: () => null }, relationPriority };
  }

  // Writers, intermediate appends, and the longest read of each key.
  txns.forEach((t, v) => {
    recordWrites(t, mops[v]!, keyState, (s, e) => {
      s.writer.set(e, v);
      s.appendCount++;
    });
    for (const m of mops[v]!) {
      if (!isRead(m) || !Array.isArray(m[2]) || m[2].length === 0) continue;
      const s = keyState(m[1]);
      if (!s.longest || m[2].length > s.longest.length) s.longest = m[2];
    }
  });
  history.failed.forEach((t, i) =>
    recordWrites(t, failedMops[i]!, keyState, (s, e) => (s.failedWriter ??= new Map()).set(e, t)),
  );

  for (const s of keys.values()) {
    if (s.longest) {
      for (const e of s.longest) {
        const id = valueId(e);
        if (s.position.has(id)) continue;
        s.position.set(id, s.order.length);
        s.order.push(id);
      }
    } else if (s.appendCount === 1) {
      // A key with one append and no reads still has a known order: [] then [v].
      const [only] = s.writer.keys();
      s.order.push(only!);
      s.position.set(only!, 0);
    }
  }

  const builder = new DependencyGraphBuilder(txns.length);

  // Reads: prefix checks, read index, wr edges, aborted and intermediate reads.
  txns.forEach((t, v) => {
    for (const m of mops[v]!) {
      if (!isRead(m)) continue;
      const list = m[2];
      if (list === null || list === undefined) {
        // An info op's nil read says nothing; an ok one read the initial state.
        if (t.outcome === 'ok') addReader(keyState(m[1]), INIT, v);
        continue;
      }
      if (!Array.isArray(list)) throw badMicroOp(t, 'list-append', `read of key ${showValue(m[1])} returned ${showValue(list)}, not a list`);
      const s = keyState(m[1]);
      if (!isPrefixOfOrder(list, s)) s.suspicious = true;
      if (list.length === 0) {
        addReader(s, INIT, v);
        continue;
      }
      const last = valueId(list[list.length - 1]);
      addReader(s, last, v);
      const writer = s.writer.get(last);
      if (writer !== undefined) builder.link(writer, v, Rel.wr);
      if (t.outcome !== 'ok') continue;
      if (s.failedWriter) {
        for (const e of list) {
          const failed = s.failedWriter.get(valueId(e));
          if (failed) anomalies.add('G1a', () => abortedRead(t, m, failed, e));
        }
      }
      const im = s.intermediate?.get(last);
      if (im && im !== t) anomalies.add('G1b', () => intermediateRead(t, m, im, list[list.length - 1]));
    }
  });

  // Appends: ww from the previous element's writer, rw from everyone who read the previous state.
  txns.forEach((t, v) => {
    for (const m of mops[v]!) {
      if (isRead(m)) continue;
      const s = keyState(m[1]);
      const prev = previousElement(s, valueId(m[2]));
      if (prev !== INIT) {
        const w = s.writer.get(prev);
        if (w !== undefined) builder.link(w, v, Rel.ww);
      }
      const readers = s.readers.get(prev);
      if (readers) for (const r of readers) builder.link(r, v, Rel.rw);
    }
  });

  txns.forEach((t, v) => {
    if (t.outcome !== 'ok') return;
    internalCases(t, mops[v]!, anomalies);
  });
  lostUpdates(txns, mops, anomalies);
  dirtyUpdates(keys, txns, anomalies);
  for (const s of keys.values()) if (s.suspicious) orderAndDuplicateCases(s, txns, mops, anomalies);

  return { builder, explainer: new ListAppendExplainer(keys, mops), relationPriority, stats: { keys: keys.size } };
}

function recordWrites(t: Txn, mops: readonly MicroOp[], keyState: (k: unknown) => KeyState, record: (s: KeyState, e: ValueId) => void): void {
  // The last append to a key in a transaction is its final one; earlier ones are intermediate.
  const lastAppend = new Map<ValueId, number>();
  mops.forEach((m, i) => {
    if (!isRead(m)) lastAppend.set(valueId(m[1]), i);
  });
  mops.forEach((m, i) => {
    if (isRead(m)) return;
    const s = keyState(m[1]);
    const e = valueId(m[2]);
    record(s, e);
    if (lastAppend.get(valueId(m[1])) !== i) (s.intermediate ??= new Map()).set(e, t);
  });
}

function findDuplicateAppend(all: readonly Txn[]): { type: string; explanation: string } | null {
  const seen = new Map<ValueId, Map<ValueId, Txn>>();
  for (const t of all) {
    const value = t.invoke.value ?? t.value;
    if (!Array.isArray(value)) continue;
    for (const m of value as MicroOp[]) {
      if (!Array.isArray(m) || m[0] !== 'append') continue;
      const k = valueId(m[1]);
      let byKey = seen.get(k);
      if (!byKey) seen.set(k, (byKey = new Map()));
      const e = valueId(m[2]);
      const other = byKey.get(e);
      if (other && other !== t) {
        return {
          type: 'duplicate-appends',
          explanation: `value ${showValue(m[2])} was appended to key ${showValue(m[1])} by both op ${displayIndex(other)} and op ${displayIndex(t)}; list-append needs every appended value to be unique per key, so versions cannot be told apart`,
        };
      }
      byKey.set(e, t);
    }
  }
  return null;
}

function addReader(s: KeyState, version: Version, v: number): void {
  const list = s.readers.get(version);
  if (list) {
    if (list[list.length - 1] !== v) list.push(v);
  } else s.readers.set(version, [v]);
}

function isPrefixOfOrder(list: readonly unknown[], s: KeyState): boolean {
  if (list.length > s.order.length) return false;
  for (let i = 0; i < list.length; i++) if (valueId(list[i]) !== s.order[i]) return false;
  return true;
}

/** The element appended just before `e` in version order; an unobserved append came after everything observed. */
function previousElement(s: KeyState, e: ValueId): Version {
  const i = s.position.get(e);
  if (i !== undefined) return i > 0 ? s.order[i - 1]! : INIT;
  return s.order.length > 0 ? s.order[s.order.length - 1]! : INIT;
}

function opsOf(...ts: Txn[]): number[] {
  return ts.map((t) => (t.completion ?? t.invoke).index);
}

function abortedRead(reader: Txn, m: MicroOp, writer: Txn, element: unknown) {
  return {
    explanation: `op ${displayIndex(reader)} read key ${showValue(m[1])} = ${showValue(m[2])}, which includes ${showValue(element)}, appended by op ${displayIndex(writer)}, which failed: an aborted read`,
    ops: opsOf(reader, writer),
    data: { key: m[1], element, mop: m, reader: displayIndex(reader), writer: displayIndex(writer) },
  };
}

function intermediateRead(reader: Txn, m: MicroOp, writer: Txn, element: unknown) {
  return {
    explanation: `op ${displayIndex(reader)} read key ${showValue(m[1])} = ${showValue(m[2])}, ending in ${showValue(element)}, which op ${displayIndex(writer)} appended but then appended more to ${showValue(m[1])} in the same transaction: an intermediate read`,
    ops: opsOf(reader, writer),
    data: { key: m[1], element, mop: m, reader: displayIndex(reader), writer: displayIndex(writer) },
  };
}

/**
 * Within one transaction: each read must agree with the transaction's own earlier reads and
 * appends of that key (Cerone et al.'s INT), and must not contain an element the transaction
 * only appends later (future read).
 */
function internalCases(t: Txn, mops: readonly MicroOp[], anomalies: AnomalyCollector): void {
  // Expected state per key: a full list, or (known suffix, unknown prefix) after blind appends.
  const expected = new Map<ValueId, { prefixKnown: boolean; list: unknown[] }>();
  let reported = false;
  for (const m of mops) {
    const k = valueId(m[1]);
    if (!isRead(m)) {
      const s = expected.get(k);
      if (s) s.list.push(m[2]);
      else expected.set(k, { prefixKnown: false, list: [m[2]] });
      continue;
    }
    const read = Array.isArray(m[2]) ? (m[2] as unknown[]) : [];
    const s = expected.get(k);
    if (s && !reported) {
      const ok = s.prefixKnown
        ? read.length === s.list.length && read.every((e, i) => valueId(e) === valueId(s.list[i]))
        : read.length >= s.list.length && s.list.every((e, i) => valueId(e) === valueId(read[read.length - s.list.length + i]));
      if (!ok) {
        reported = true;
        const shown = s.prefixKnown ? showValue(s.list) : `[..., ${s.list.map(showValue).join(', ')}]`;
        anomalies.add('internal', () => ({
          explanation: `op ${displayIndex(t)} read key ${showValue(m[1])} = ${showValue(m[2])}, but its own earlier reads and appends in the same transaction mean it should have read ${shown}`,
          ops: opsOf(t),
          data: { key: m[1], mop: m, expected: s.prefixKnown ? s.list : ['...', ...s.list] },
        }));
      }
    }
    expected.set(k, { prefixKnown: true, list: [...read] });
  }
  // Future reads: an element read before this transaction appends it.
  const readSoFar = new Map<ValueId, Map<ValueId, MicroOp>>();
  for (const m of mops) {
    const k = valueId(m[1]);
    if (isRead(m)) {
      if (!Array.isArray(m[2])) continue;
      let seen = readSoFar.get(k);
      if (!seen) readSoFar.set(k, (seen = new Map()));
      for (const e of m[2]) if (!seen.has(valueId(e))) seen.set(valueId(e), m);
      continue;
    }
    const read = readSoFar.get(k)?.get(valueId(m[2]));
    if (read) {
      anomalies.add('future-read', () => ({
        explanation: `op ${displayIndex(t)} read key ${showValue(m[1])} = ${showValue(read[2])}, which includes ${showValue(m[2])}, an element the same transaction only appends afterwards`,
        ops: opsOf(t),
        data: { key: m[1], element: m[2], mop: read },
      }));
      return;
    }
  }
}

/**
 * Lost update: two committed transactions read the same version of a key and both appended
 * to it, so one of them built on a state the other overwrote (Adya's H_lu). Found directly,
 * in linear time, because version orders may miss the edges that would show it as G2-item.
 */
function lostUpdates(txns: readonly Txn[], mops: readonly (readonly MicroOp[])[], anomalies: AnomalyCollector): void {
  const groups = new Map<string, { key: unknown; value: unknown; txns: Txn[] }>();
  txns.forEach((t, v) => {
    if (t.outcome !== 'ok') return;
    // Like Elle: remember the first read of each key, and on the first append after a read,
    // file the transaction under (key, value read).
    const firstRead = new Map<ValueId, unknown>();
    const written = new Set<ValueId>();
    for (const m of mops[v]!) {
      const k = valueId(m[1]);
      if (isRead(m)) {
        if (!firstRead.has(k)) firstRead.set(k, m[2] ?? []);
        continue;
      }
      if (written.has(k) || !firstRead.has(k)) continue;
      written.add(k);
      const read = firstRead.get(k) as unknown[];
      const signature = `${typeof k}:${String(k)}|${read.length}|${String(valueId(read[read.length - 1]))}`;
      let g = groups.get(signature);
      if (!g) groups.set(signature, (g = { key: m[1], value: read, txns: [] }));
      g.txns.push(t);
    }
  });
  for (const g of groups.values()) {
    if (g.txns.length < 2) continue;
    anomalies.add('lost-update', () => ({
      explanation: `ops ${g.txns.map(displayIndex).join(', ')} all read key ${showValue(g.key)} = ${showValue(g.value)} and all appended to it, so each overwrote a state another had already changed: a lost update`,
      ops: opsOf(...g.txns),
      data: { key: g.key, value: g.value, txns: g.txns.map(displayIndex) },
    }));
  }
}

/**
 * Dirty update: in a key's version order, a committed append lands right after an append by a
 * failed transaction (possibly with indeterminate ones between): the committed transaction
 * built on state that was rolled back.
 */
function dirtyUpdates(keys: Map<ValueId, KeyState>, txns: readonly Txn[], anomalies: AnomalyCollector): void {
  for (const s of keys.values()) {
    if (!s.failedWriter) continue;
    // Walk the version order remembering the last state we can vouch for: a failed append
    // stays the base until a committed one lands on it; indeterminate ones change nothing.
    let base: Txn | undefined;
    let baseFailed = false;
    let range: ValueId[] = [];
    for (const e of s.order) {
      const v = s.writer.get(e);
      const writer = v !== undefined ? txns[v]! : s.failedWriter.get(e);
      if (!writer) continue;
      range.push(e);
      if (writer.outcome === 'ok') {
        if (baseFailed) {
          const failed = base!;
          const values = range;
          anomalies.add('dirty-update', () => ({
            explanation: `key ${showValue(s.key)}: op ${displayIndex(writer)} committed its append of ${showValue(e)} on top of ${showValue(values[0])}, appended by op ${displayIndex(failed)}, which failed (versions ${showValue(values)}): a dirty update`,
            ops: opsOf(failed, writer),
            data: { key: s.key, values, txns: [displayIndex(failed), displayIndex(writer)] },
          }));
        }
        base = writer;
        baseFailed = false;
        range = [e];
      } else if (writer.outcome === 'fail' && !baseFailed) {
        base = writer;
        baseFailed = true;
        range = [e];
      }
    }
  }
}

/**
 * For a key where some read is not a prefix of the version order: sort its distinct reads by
 * length and report the first pair where the shorter is not a prefix of the longer
 * (incompatible-order), and reads that repeat an element (duplicate-elements).
 */
function orderAndDuplicateCases(s: KeyState, txns: readonly Txn[], mops: readonly (readonly MicroOp[])[], anomalies: AnomalyCollector): void {
  const reads: { list: unknown[]; txn: Txn }[] = [];
  const keyId = valueId(s.key);
  txns.forEach((t, v) => {
    for (const m of mops[v]!) {
      if (!isRead(m) || valueId(m[1]) !== keyId || !Array.isArray(m[2]) || m[2].length === 0) continue;
      const list = m[2] as unknown[];
      reads.push({ list, txn: t });
      const counts = new Map<ValueId, number>();
      for (const e of list) counts.set(valueId(e), (counts.get(valueId(e)) ?? 0) + 1);
      const dups = [...counts].filter(([, c]) => c > 1);
      if (dups.length > 0) {
        anomalies.add('duplicate-elements', () => ({
          explanation: `op ${displayIndex(t)} read key ${showValue(m[1])} = ${showValue(list)}, in which ${dups.map(([e, c]) => `${showValue(e)} appears ${c} times`).join(', ')}; each element was appended once`,
          ops: opsOf(t),
          data: { key: m[1], mop: m, duplicates: Object.fromEntries(dups.map(([e, c]) => [String(e), c])) },
        }));
      }
    }
  });
  reads.sort((a, b) => a.list.length - b.list.length);
  for (let i = 0; i + 1 < reads.length; i++) {
    const a = reads[i]!.list;
    const b = reads[i + 1]!.list;
    if (a.every((e, j) => valueId(e) === valueId(b[j]))) continue;
    const ta = reads[i]!.txn;
    const tb = reads[i + 1]!.txn;
    anomalies.add('incompatible-order', () => ({
      explanation: `key ${showValue(s.key)} was read as ${showValue(a)} (op ${displayIndex(ta)}) and as ${showValue(b)} (op ${displayIndex(tb)}); the first is not a prefix of the second, so no single order of appends explains both`,
      ops: opsOf(ta, tb),
      data: { key: s.key, values: [a, b] },
    }));
    return;
  }
}

/** Explains ww, wr and rw steps between two list-append transactions in Elle's words. */
class ListAppendExplainer implements DataExplainer {
  constructor(
    private readonly keys: Map<ValueId, KeyState>,
    private readonly mops: readonly (readonly MicroOp[])[],
  ) {}

  explain(a: Txn, b: Txn, rel: number): StepExplanation | null {
    const bMops = this.mops[b.vertex]!;
    for (let i = 0; i < bMops.length; i++) {
      const m = bMops[i]!;
      const s = this.keys.get(valueId(m[1]));
      if (!s) continue;
      if (rel === Rel.wr && isRead(m) && Array.isArray(m[2]) && m[2].length > 0) {
        const e = m[2][m[2].length - 1];
        if (s.writer.get(valueId(e)) !== a.vertex) continue;
        return {
          rel: 'wr',
          key: m[1],
          data: { key: m[1], value: e, bMopIndex: i },
          render: (an, bn) => `${bn} observed ${an}'s append of ${showValue(e)} to key ${showValue(m[1])}`,
        };
      }
      if (isRead(m)) continue;
      const prev = previousElement(s, valueId(m[2]));
      if (rel === Rel.ww && prev !== INIT && s.writer.get(prev) === a.vertex) {
        const prevValue = originalElement(s, prev);
        return {
          rel: 'ww',
          key: m[1],
          data: { key: m[1], value: prevValue, value2: m[2], bMopIndex: i },
          render: (an, bn) => `${bn} appended ${showValue(m[2])} after ${an} appended ${showValue(prevValue)} to ${showValue(m[1])}`,
        };
      }
      if (rel === Rel.rw && (s.readers.get(prev) ?? []).includes(a.vertex)) {
        if (prev === INIT) {
          return {
            rel: 'rw',
            key: m[1],
            data: { key: m[1], value: null, value2: m[2], bMopIndex: i },
            render: (an, bn) => `${an} observed the initial (nil) state of ${showValue(m[1])}, which ${bn} created by appending ${showValue(m[2])}`,
          };
        }
        return {
          rel: 'rw',
          key: m[1],
          data: { key: m[1], value: originalElement(s, prev), value2: m[2], bMopIndex: i },
          render: (an, bn) => `${an} did not observe ${bn}'s append of ${showValue(m[2])} to ${showValue(m[1])}`,
        };
      }
    }
    return null;
  }
}

/** The element as written in the history (ids of composite values are their JSON text). */
function originalElement(s: KeyState, id: ValueId): unknown {
  if (typeof id === 'string' && id.startsWith('\u0000')) return JSON.parse(id.slice(1));
  void s;
  return id;
}
