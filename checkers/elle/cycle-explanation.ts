import type { TypedCycle } from './cycle-analysis.js';
import { Rel, RelName, relsToNames } from './rels.js';
import { displayIndex, Txn } from './transactions.js';
import { showValue } from './value-identity.js';

/** Why b depends on a through one relation, in data and in words. */
export interface StepExplanation {
  rel: RelName;
  key?: unknown;
  /** Relation-specific facts (values, versions, mop positions). */
  data: Record<string, unknown>;
  /** Plain words, given the two transactions' names: "T2 observed T1's append of 3 to key x". */
  render(a: string, b: string): string;
}

/** Explains data dependencies (ww, wr, rw) for one workload; session orders are generic. */
export interface DataExplainer {
  explain(a: Txn, b: Txn, rel: number): StepExplanation | null;
}

export interface ExplainedTxn {
  name: string;
  /** History index of the transaction's completion (its invocation's when it never completed). */
  index: number;
  process: Txn['process'];
  outcome: Txn['outcome'];
  value: unknown;
}

export interface ExplainedStep {
  from: string;
  to: string;
  rel: RelName;
  key?: unknown;
  text: string;
  data: Record<string, unknown>;
}

export interface ExplainedCycle {
  type: string;
  /** False when the shortest matching walk visits a transaction twice. */
  simple: boolean;
  txns: ExplainedTxn[];
  steps: ExplainedStep[];
  /** Elle-style text: "Let: T1 = ... Then: - T1 < T2, because ... - However, T2 < T1, because ...: a contradiction!" */
  explanation: string;
}

function secondsBetween(a?: number, b?: number): string {
  if (a === undefined || b === undefined) return '';
  const dt = b - a;
  return dt > 0 ? ` ${(dt / 1e9).toFixed(3)} seconds` : ' just';
}

/** Session-order steps: the same for every workload. */
export function explainSessionStep(a: Txn, b: Txn, rel: number): StepExplanation | null {
  if (rel === Rel.process) {
    if (a.process !== b.process || a.invoke.index >= b.invoke.index) return null;
    return {
      rel: 'process',
      data: { process: a.process },
      render: (an, bn) => `process ${showValue(a.process)} executed ${an} before ${bn}`,
    };
  }
  if (rel === Rel.realtime) {
    const done = a.completion;
    if (!done || done.index >= b.invoke.index) return null;
    return {
      rel: 'realtime',
      data: { completedIndex: done.sourceIndex ?? done.index, invokedIndex: b.invoke.sourceIndex ?? b.invoke.index },
      render: (an, bn) =>
        `${an} completed at index ${done.sourceIndex ?? done.index},${secondsBetween(done.time, b.invoke.time)} before the invocation of ${bn}, at index ${b.invoke.sourceIndex ?? b.invoke.index}`,
    };
  }
  return null;
}

function describeTxn(t: Txn): string {
  const parts = [`index ${displayIndex(t)}`, `process ${showValue(t.process)}`];
  if (t.outcome !== 'ok') parts.push(t.outcome);
  parts.push(`value ${JSON.stringify(t.value)}`);
  return `{${parts.join(', ')}}`;
}

/**
 * Names the cycle's transactions T1..Tn and explains each step, as Elle's cycle explainer.
 * `txnOf` gives a vertex's transaction (only the cycle's are asked for).
 */
export function explainCycle(cycle: TypedCycle, txnOf: (vertex: number) => Txn, data: DataExplainer): ExplainedCycle {
  const names = new Map<number, string>();
  const explainedTxns: ExplainedTxn[] = [];
  const lines = ['Let:'];
  for (const v of cycle.vertices.slice(0, -1)) {
    if (names.has(v)) continue;
    const name = `T${names.size + 1}`;
    names.set(v, name);
    const t = txnOf(v);
    lines.push(`  ${name} = ${describeTxn(t)}`);
    explainedTxns.push({ name, index: displayIndex(t), process: t.process, outcome: t.outcome, value: t.value });
  }
  const steps: ExplainedStep[] = [];
  for (let i = 0; i + 1 < cycle.vertices.length; i++) {
    const a = txnOf(cycle.vertices[i]!);
    const b = txnOf(cycle.vertices[i + 1]!);
    const rel = cycle.rels[i]!;
    const ex = rel === Rel.process || rel === Rel.realtime ? explainSessionStep(a, b, rel) : data.explain(a, b, rel);
    const from = names.get(a.vertex)!;
    const to = names.get(b.vertex)!;
    if (!ex) {
      // Should not happen: every edge was derived from a reason the explainer knows.
      steps.push({ from, to, rel: relsToNames(rel)[0]!, text: `${from} precedes ${to} (${relsToNames(rel).join(', ')})`, data: {} });
      continue;
    }
    steps.push({ from, to, rel: ex.rel, key: ex.key, text: ex.render(from, to), data: ex.data });
  }
  lines.push('', 'Then:');
  steps.forEach((s, i) => {
    const sentence = `${s.from} < ${s.to}, because ${s.text}`;
    lines.push(i === steps.length - 1 ? `  - However, ${sentence}: a contradiction!` : `  - ${sentence}.`);
  });
  if (!cycle.simple) lines.push('  (This is a closed walk: it passes through one transaction twice.)');
  return { type: cycle.type, simple: cycle.simple, txns: explainedTxns, steps, explanation: lines.join('\n') };
}
