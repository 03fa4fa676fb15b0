import { describe, expect, it } from 'vitest';
import { checkElle } from '../../../checkers/elle/elle-checker.js';
import { listAppendHistory } from '../../../checkers/elle/list-append-history-generator.js';

describe('elle on generated list-append histories', () => {
  it('is deterministic per seed', () => {
    const a = listAppendHistory({ seed: 7, txns: 200, concurrency: 4 });
    expect(listAppendHistory({ seed: 7, txns: 200, concurrency: 4 })).toEqual(a);
    expect(listAppendHistory({ seed: 8, txns: 200, concurrency: 4 })).not.toEqual(a);
  });

  it.each([1, 2, 3, 4, 5])('accepts a strict-serializable history with crashes and aborts (seed %i)', (seed) => {
    const ops = listAppendHistory({ seed, txns: 2000, concurrency: 8, failRate: 0.05, infoRate: 0.01 });
    const r = checkElle(ops, 'list-append', { cycleSearchTimeoutMs: 60_000 });
    expect(r.anomalyTypes).toEqual([]);
    expect(r.valid).toBe(true);
    expect(r.stats!.edges).toBeGreaterThan(1000);
  });

  it.each([1, 2, 3])('rejects stale reads, naming anomalies that explain them (seed %i)', (seed) => {
    const ops = listAppendHistory({ seed, txns: 2000, concurrency: 8, staleReadRate: 0.05 });
    const r = checkElle(ops, 'list-append', { cycleSearchTimeoutMs: 60_000 });
    expect(r.valid).toBe(false);
    // Stale reads show as read skew (possibly only against realtime order) or worse.
    expect(r.anomalyTypes.some((t) => /^G-single|^G-nonadjacent|^G2|^G1|internal|lost-update/.test(t))).toBe(true);
    expect(r.anomalies[0]!.explanation.length).toBeGreaterThan(20);
  });
});
