import { AnomalyCollector } from './anomaly-collector.js';
import type { DataExplainer, StepExplanation } from './cycle-explanation.js';
import { DependencyGraphBuilder } from './dependency-graph.js';
import { badMicroOp, MicroOp, microOps } from './micro-ops.js';
import { Rel } from './rels.js';
import { displayIndex, Txn, TxnHistory } from './transactions.js';
import { originalValue, showValue, ValueId, valueId } from './value-identity.js';
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
  // Transactions touching a key more than once are the only ones that can show internal
  // anomalies, intermediate appends or lost updates; knowing which spares the rest a scan.
  const repeatsKey = mops.map(touchesKeyTwice);

  // Writers (appends must be unique per key, or versions are ambiguous: Elle's
  // duplicate-appends), intermediate appends, and the longest read of each key.
  let duplicate: { type: string; explanation: string } | undefined;
  const noteDuplicate = (k: unknown, e: unknown, first: Txn, second: Txn) => {
    duplicate ??= {
      type: 'duplicate-appends',
      explanation: `value ${showValue(e)} was appended to key ${showValue(k)} by both op ${displayIndex(first)} and op ${displayIndex(second)}; list-append needs every appended value to be unique per key, so versions cannot be told apart`,
    };
  };
  txns.forEach((t, v) => {
    const ms = mops[v]!;
    for (let i = 0; i < ms.length; i++) {
      const m = ms[i]!;
      const s = keyState(m[1]);
      if (isRead(m)) {
        if (Array.isArray(m[2]) && m[2].length > 0 && (!s.longest || m[2].length > s.longest.length)) s.longest = m[2];
        continue;
      }
      const e = valueId(m[2]);
      const other = s.writer.get(e);
      if (other !== undefined) noteDuplicate(m[1], m[2], txns[other]!, t);
      s.writer.set(e, v);
      s.appendCount++;
      if (repeatsKey[v] && appendsAgainLater(ms, i)) (s.intermediate ??= new Map()).set(e, t);
    }
  });
  history.failed.forEach((t, i) => {
    const ms = failedMops[i]!;
    ms.forEach((m, j) => {
      if (isRead(m)) return;
      const s = keyState(m[1]);
      const e = valueId(m[2]);
      const other = s.writer.get(e);
      const otherFailed = s.failedWriter?.get(e);
      if (other !== undefined || otherFailed) noteDuplicate(m[1], m[2], other !== undefined ? txns[other]! : otherFailed!, t);
      (s.failedWriter ??= new Map()).set(e, t);
      if (appendsAgainLater(ms, j)) (s.intermediate ??= new Map()).set(e, t);
    });
  });
  if (duplicate) {
    return { unusable: duplicate, builder: new DependencyGraphBuilder(txns.length), explainer: { explain: () => null }, relationPriority };
  }

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

  // Roughly one edge per micro-op, plus realtime edges to come: sized once, not regrown.
  let mopCount = 0;
  for (const ms of mops) mopCount += ms.length;
  const builder = new DependencyGraphBuilder(txns.length, mopCount * 1.5 + txns.length * 12);

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
    if (t.outcome === 'ok' && repeatsKey[v]) internalCases(t, mops[v]!, anomalies);
  });
  lostUpdates(txns, mops, repeatsKey, anomalies);
  dirtyUpdates(keys, txns, anomalies);
  for (const s of keys.values()) if (s.suspicious) orderAndDuplicateCases(s, txns, mops, anomalies);

  return { builder, explainer: new ListAppendExplainer(keys, mops), relationPriority, stats: { keys: keys.size } };
}

/** Whether some key appears in two micro-ops of the transaction (transactions are short). */
function touchesKeyTwice(mops: readonly MicroOp[]): boolean {
  for (let i = 1; i < mops.length; i++) {
    const k = valueId(mops[i]![1]);
    for (let j = 0; j < i; j++) if (valueId(mops[j]![1]) === k) return true;
  }
  return false;
}

/** Whether the append at position i is followed by another append to the same key: then it is intermediate. */
function appendsAgainLater(mops: readonly MicroOp[], i: number): boolean {
  const k = valueId(mops[i]![1]);
  for (let j = i + 1; j < mops.length; j++) if (!isRead(mops[j]!) && valueId(mops[j]![1]) === k) return true;
  return false;
}

function addReader(s: KeyState, version: Version, v: number): void {
  const list = s.readers.get(version);
  if (list) {
    if (list[list.length - 1] !== v) list.push(v);
  } else s.readers.set(version, [v]);
}

function isPrefixOfOrder(list: readonly unknown[], s: KeyState): boolean {
  if (list.length > s.order.length) return false;
  for (let i = 0; i < list.length; i++) {
    const e = list[i];
    if (e !== s.order[i] && valueId(e) !== s.order[i]) return false;
  }
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

/** Elements compare by value; composite ones (rare) through their canonical text. */
function same(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'object' && a !== null && valueId(a) === valueId(b));
}

/**
 * Within one transaction: each read must agree with the transaction's own earlier reads and
 * appends of that key (Cerone et al.'s INT), and must not contain an element the transaction
 * only appends later (future read). Only called for transactions touching a key twice, and
 * written without allocation: these are the hot path of large histories.
 */
function internalCases(t: Txn, mops: readonly MicroOp[], anomalies: AnomalyCollector): void {
  let internalReported = false;
  for (let i = 0; i < mops.length; i++) {
    const m = mops[i]!;
    const k = valueId(m[1]);
    if (isRead(m)) {
      if (internalReported) continue;
      // The state this read must see: the latest earlier read of k plus the appends after it,
      // or, with no earlier read, a list ending in the earlier appends.
      let base = -1;
      let appends = 0;
      for (let j = i - 1; j >= 0; j--) {
        const p = mops[j]!;
        if (valueId(p[1]) !== k) continue;
        if (isRead(p)) {
          base = j;
          break;
        }
        appends++;
      }
      if (base < 0 && appends === 0) continue;
      const read = Array.isArray(m[2]) ? (m[2] as unknown[]) : [];
      const prior = base >= 0 && Array.isArray(mops[base]![2]) ? (mops[base]![2] as unknown[]) : [];
      const start = base >= 0 ? prior.length : read.length - appends;
      let ok = start >= 0 && (base < 0 || read.length === prior.length + appends);
      for (let e = 0; ok && base >= 0 && e < prior.length; e++) ok = same(read[e], prior[e]);
      let at = start;
      for (let j = base + 1; ok && j < i; j++) {
        const p = mops[j]!;
        if (isRead(p) || valueId(p[1]) !== k) continue;
        ok = same(read[at++], p[2]);
      }
      if (ok) continue;
      internalReported = true;
      const expected = [...(base >= 0 ? prior : ['...']), ...mops.slice(base + 1, i).filter((p) => !isRead(p) && valueId(p[1]) === k).map((p) => p[2])];
      const shown = base >= 0 ? showValue(expected) : `[${expected.map((e) => (e === '...' ? '...' : showValue(e))).join(', ')}]`;
      anomalies.add('internal', () => ({
        explanation: `op ${displayIndex(t)} read key ${showValue(m[1])} = ${showValue(m[2])}, but its own earlier reads and appends in the same transaction mean it should have read ${shown}`,
        ops: opsOf(t),
        data: { key: m[1], mop: m, expected },
      }));
      continue;
    }
    // Future read: this element was already in an earlier read of the key.
    for (let j = 0; j < i; j++) {
      const p = mops[j]!;
      if (!isRead(p) || valueId(p[1]) !== k || !Array.isArray(p[2])) continue;
      if (!(p[2] as unknown[]).some((e) => same(e, m[2]))) continue;
      anomalies.add('future-read', () => ({
        explanation: `op ${displayIndex(t)} read key ${showValue(m[1])} = ${showValue(p[2])}, which includes ${showValue(m[2])}, an element the same transaction only appends afterwards`,
        ops: opsOf(t),
        data: { key: m[1], element: m[2], mop: p },
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
function lostUpdates(txns: readonly Txn[], mops: readonly (readonly MicroOp[])[], repeatsKey: readonly boolean[], anomalies: AnomalyCollector): void {
  const groups = new Map<string, { key: unknown; value: unknown; txns: Txn[] }>();
  txns.forEach((t, v) => {
    if (t.outcome !== 'ok' || !repeatsKey[v]) return;
    // Like Elle: on the first append to a key that the transaction read earlier, file the
    // transaction under (key, its first read of that key).
    const ms = mops[v]!;
    for (let i = 0; i < ms.length; i++) {
      const m = ms[i]!;
      if (isRead(m)) continue;
      const k = valueId(m[1]);
      let firstRead = -1;
      let appendedBefore = false;
      for (let j = 0; j < i; j++) {
        if (valueId(ms[j]![1]) !== k) continue;
        if (!isRead(ms[j]!)) appendedBefore = true;
        else if (firstRead < 0) firstRead = j;
      }
      if (appendedBefore || firstRead < 0) continue;
      const read = (Array.isArray(ms[firstRead]![2]) ? ms[firstRead]![2] : []) as unknown[];
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
        const prevValue = originalValue(prev);
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
          data: { key: m[1], value: originalValue(prev), value2: m[2], bMopIndex: i },
          render: (an, bn) => `${an} did not observe ${bn}'s append of ${showValue(m[2])} to ${showValue(m[1])}`,
        };
      }
    }
    return null;
  }
}

