import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allImpliedAnomalies } from '../../../checkers/elle/anomaly-taxonomy.js';
import { searchCycle } from '../../../checkers/elle/cycle-search.js';
import { cycleSpecs } from '../../../checkers/elle/cycle-specs.js';
import { checkElle } from '../../../checkers/elle/elle-checker.js';
import type { ElleDetails } from '../../../checkers/elle/elle-run.js';
import { analyzeListAppend } from '../../../checkers/elle/list-append.js';
import { AnomalyCollector } from '../../../checkers/elle/anomaly-collector.js';
import { SearchBudget } from '../../../checkers/elle/search-budget.js';
import { addRealtimeEdges } from '../../../checkers/elle/session-orders.js';
import { collectTxns, displayIndex, Txn } from '../../../checkers/elle/transactions.js';
import type { ExplainedCycle } from '../../../checkers/elle/cycle-explanation.js';
import { readHistoryFile } from '../../../checkers/history/index.js';
import type { Op } from '../../../checkers/history/op.js';
import { repoRoot } from '../../support/cli.js';

/** Elle's public histories (jepsen-io/elle `histories/`), vendored in the shared corpus. */
const corpus = resolve(repoRoot, '../shared/corpora/elle');
const present = existsSync(resolve(corpus, 'MANIFEST.tsv'));
const needs = present ? '' : ` (skipped: corpus missing at ${corpus}; it holds jepsen-io/elle histories/*.edn)`;

async function load(name: string): Promise<Op[]> {
  // paper-example.edn has neither :f nor :process: read it as one client's txns.
  return readHistoryFile(resolve(corpus, name), { defaults: { f: 'txn', process: 0 } });
}

/** Generous: these verdicts must not depend on machine speed. */
const patient = { cycleSearchTimeoutMs: 120_000 };

/**
 * Re-derives every step of a reported cycle from the raw list-append history, independently
 * of the checker's indexes: the order of each key is its longest read; an append never read
 * comes after everything read.
 */
function verifyListAppendCycle(ops: Op[], cycle: ExplainedCycle): void {
  const txns = collectTxns(ops, new Set(['txn'])).vertices;
  const byName = new Map(cycle.txns.map((t) => [t.name, txns.find((x) => displayIndex(x) === t.index)!]));
  const mopsOf = (t: Txn) => t.value as [string, unknown, unknown][];
  const longest = new Map<unknown, unknown[]>();
  for (const t of txns) for (const [f, k, v] of mopsOf(t)) if (f === 'r' && Array.isArray(v) && v.length > (longest.get(k)?.length ?? 0)) longest.set(k, v);
  const predecessor = (k: unknown, e: unknown): unknown => {
    const order = longest.get(k) ?? [];
    const i = order.indexOf(e);
    return i > 0 ? order[i - 1] : i === 0 ? undefined : order[order.length - 1];
  };
  const appended = (t: Txn, k: unknown, e: unknown) => mopsOf(t).some(([f, kk, v]) => f === 'append' && kk === k && v === e);
  for (const step of cycle.steps) {
    const a = byName.get(step.from)!;
    const b = byName.get(step.to)!;
    const d = step.data as { key: unknown; value: unknown; value2: unknown };
    switch (step.rel) {
      case 'realtime':
        expect(a.outcome).toBe('ok');
        expect(a.completion!.index).toBeLessThan(b.invoke.index);
        break;
      case 'wr': {
        const read = mopsOf(b).find(([f, k, v]) => f === 'r' && k === d.key && Array.isArray(v) && v[v.length - 1] === d.value);
        expect(read, step.text).toBeDefined();
        expect(appended(a, d.key, d.value), step.text).toBe(true);
        break;
      }
      case 'ww':
        expect(appended(a, d.key, d.value), step.text).toBe(true);
        expect(appended(b, d.key, d.value2), step.text).toBe(true);
        expect(predecessor(d.key, d.value2), step.text).toBe(d.value);
        break;
      case 'rw': {
        expect(appended(b, d.key, d.value2), step.text).toBe(true);
        const prev = predecessor(d.key, d.value2);
        const saw = mopsOf(a).some(([f, k, v]) => f === 'r' && k === d.key && (prev === undefined ? v === null || (Array.isArray(v) && v.length === 0) : Array.isArray(v) && v[v.length - 1] === prev));
        expect(saw, step.text).toBe(true);
        break;
      }
      default:
        throw new Error(`unexpected step ${step.rel}`);
    }
  }
}

describe('elle corpus (jepsen-io/elle histories)', () => {
  it.skipIf(!present)(`si-without-g-single.edn under SI and RR: G2-item, not repeatable-read${needs}`, async () => {
    const ops = await load('si-without-g-single.edn');
    const r = checkElle(ops, 'list-append', { consistencyModels: ['snapshot-isolation', 'repeatable-read'], ...patient });
    expect(r.valid).toBe(false);
    expect(r.anomalyTypes).toEqual(['G2-item']);
    expect((r.details as ElleDetails).not).toEqual(['repeatable-read']);
    // Under snapshot isolation alone the history is fine: this file pins a past false positive.
    expect(checkElle(ops, 'list-append', { consistencyModels: ['snapshot-isolation'], ...patient }).valid).toBe(true);
    verifyListAppendCycle(ops, (r.details as ElleDetails).cycles[0]!);
  });

  it.skipIf(!present)(`huge-scc.edn: invalid, a concrete realtime cycle, not strong-snapshot-isolation${needs}`, async () => {
    const ops = await load('huge-scc.edn');
    const r = checkElle(ops, 'list-append', patient);
    const details = r.details as ElleDetails;
    expect(r.valid).toBe(false);
    expect(details.not).toEqual(['strong-snapshot-isolation']);
    // Elle times out searching for G-single-item-realtime here and falls back to a
    // G2-item-realtime cycle plus strong-snapshot-isolation-cycle-exists. Our search
    // completes and finds the G-single-item-realtime Elle was looking for, which implies
    // G2-item-realtime and rules out exactly the same model.
    expect(r.anomalyTypes).toEqual(['G-single-item-realtime']);
    expect(allImpliedAnomalies(r.anomalyTypes)).toContain('G2-item-realtime');
    expect(details.foundTypes).toContain('strong-snapshot-isolation-cycle-exists');
    expect(r.stats!.largestScc).toBeGreaterThan(1000);
    const cycle = details.cycles[0]!;
    expect(cycle.simple).toBe(true);
    expect(cycle.steps.filter((s) => s.rel === 'rw')).toHaveLength(1);
    verifyListAppendCycle(ops, cycle);
  });

  it.skipIf(!present)(`huge-scc.edn with a tiny search budget: unknown search, still invalid${needs}`, async () => {
    const ops = await load('huge-scc.edn');
    const r = checkElle(ops, 'list-append', { cycleSearchTimeoutMs: 0.001 });
    expect(r.valid).toBe(false);
    expect(r.anomalyTypes).toContain('cycle-search-timeout');
    // The cycle-exists proof and the fallback cycle still decide the verdict.
    expect((r.details as ElleDetails).foundTypes).toContain('strong-snapshot-isolation-cycle-exists');
    expect((r.details as ElleDetails).not).toEqual(['strong-snapshot-isolation']);
    const timeout = r.anomalies.find((a) => a.type === 'cycle-search-timeout')!;
    expect(timeout.explanation).toMatch(/ran out of time/);
  });

  it.skipIf(!present)(`paper-example.edn: the paper's realtime G-single, and the data-only G-single Elle's inference adds${needs}`, async () => {
    const ops = await load('paper-example.edn');
    const r = checkElle(ops, 'list-append', patient);
    // T1's append of 3 to key 256 is never read, so it came after 4 (appended by T3):
    // T3 -ww-> T1 closes the paper's rw/wr chain without needing realtime. That cycle
    // (G-single-item) implies the paper's G-single-item-realtime, so Elle's search
    // (and ours) reports the stronger one.
    expect(r.valid).toBe(false);
    expect(r.anomalyTypes).toEqual(['G-single-item']);
    expect(allImpliedAnomalies(r.anomalyTypes)).toContain('G-single-item-realtime');
    const cycle = (r.details as ElleDetails).cycles[0]!;
    expect(cycle.steps.map((s) => s.rel)).toEqual(['rw', 'wr', 'ww']);
    verifyListAppendCycle(ops, cycle);

    // The figure's own cycle, T1 -rw-> T2 -wr-> T3 -realtime-> T1, is in the graph too.
    const txns = collectTxns(ops, new Set(['txn']));
    const analysis = analyzeListAppend(txns, new AnomalyCollector(10));
    addRealtimeEdges(analysis.builder, txns.vertices);
    const spec = cycleSpecs.find((s) => s.type === 'G-single-item-realtime')!;
    const found = searchCycle(analysis.builder.build(), spec, SearchBudget.forMs(60_000))!;
    expect(found.rels.map((rel) => ({ 1: 'ww', 2: 'wr', 4: 'rw', 16: 'realtime' })[rel])).toEqual(['rw', 'wr', 'realtime']);
    expect(found.vertices.map((v) => displayIndex(txns.vertices[v]!))).toEqual([7, 3, 5, 7]);
  });
});
