import { describe, expect, it } from 'vitest';
import type { CheckOptions } from '../../../checkers/checker.js';
import { checkElle } from '../../../checkers/elle/elle-checker.js';
import type { ElleDetails } from '../../../checkers/elle/elle-run.js';
import type { Op } from '../../../checkers/history/op.js';
import { HistoryBuilder } from './elle-history-dsl.js';

function check(ops: Op[], opts: CheckOptions = {}) {
  const r = checkElle(ops, 'rw-register', opts);
  const details = r.details as ElleDetails;
  return { valid: r.valid, types: r.anomalyTypes, not: details.not, result: r, details };
}

function serial(...specs: string[]): Op[] {
  const h = new HistoryBuilder('rw-register');
  specs.forEach((s, p) => h.txn(p, s));
  return h.ops();
}

/** All on one process, in order. */
function oneProcess(...specs: string[]): Op[] {
  const h = new HistoryBuilder('rw-register');
  for (const s of specs) h.txn(0, s);
  return h.ops();
}

const only = (...anomalies: string[]): CheckOptions => ({ consistencyModels: [], anomalies });

describe('elle rw-register: valid histories pass', () => {
  it('accepts writes followed by reads of them', () => {
    expect(check(serial('wx1', 'rx1wy2', 'rx1ry2')).valid).toBe(true);
  });

  it('accepts concurrent reads of the initial state and later writes', () => {
    const h = new HistoryBuilder('rw-register');
    const a = h.invoke(0, 'rxwy1');
    const b = h.invoke(1, 'rx');
    h.complete(a).complete(b);
    h.txn(2, 'ry1wx2');
    expect(check(h.ops()).valid).toBe(true);
  });
});

describe('elle rw-register: anomalies', () => {
  it('G0 needs a version order: none from the initial state alone, one from sequential keys', () => {
    const writes = new HistoryBuilder('rw-register').txn(0, 'wx1wy2').txn(1, 'wx2wy1').ops();
    expect(check(writes, only('G0'))).toMatchObject({ valid: 'unknown', types: ['empty-transaction-graph'], not: [] });
    const h = new HistoryBuilder('rw-register').txn(0, 'wx1wy2').txn(1, 'wx2wy1').txn(0, 'rx2').txn(1, 'ry2').ops();
    const r = check(h, { ...only('G0'), sequentialKeys: true });
    expect(r).toMatchObject({ valid: false, types: ['G0'], not: ['read-uncommitted'] });
    expect(r.details.cycles[0]!.explanation).toMatch(/set key "[xy]" to 1, and T\d set it to 2, which came later in the version order/);
  });

  it('G1a: a read of a failed write', () => {
    const h = new HistoryBuilder('rw-register').txn(0, 'wx1', 'fail').txn(1, 'rx1').ops();
    const r = check(h, only('G1'));
    expect(r).toMatchObject({ valid: false, types: ['G1a', 'empty-transaction-graph'], not: ['read-committed'] });
  });

  it('G1b: a read of an intermediate write', () => {
    const h = serial('wx1wx2', 'rx1');
    expect(check(h, only('G0'))).toMatchObject({ valid: 'unknown', types: ['empty-transaction-graph'], not: ['read-committed'] });
    expect(check(h, only('G1'))).toMatchObject({ valid: false, types: ['G1b', 'empty-transaction-graph'], not: ['read-committed'] });
    expect(check(h, { consistencyModels: ['repeatable-read'] }).types).toEqual(['G1b', 'empty-transaction-graph']);
  });

  it('G1c: each transaction reads the other', () => {
    const h = serial('wx1ry1', 'wy1rx1');
    expect(check(h, only('G0')).valid).toBe(true);
    expect(check(h, { consistencyModels: ['read-uncommitted'] }).valid).toBe(true);
    const r = check(h, { consistencyModels: ['read-committed'] });
    expect(r).toMatchObject({ valid: false, types: ['G1c'], not: ['read-committed'] });
    expect(r.details.cycles[0]!.explanation).toContain('wrote "x" = 1, which was read by');
    expect(check(h, only('G2')).valid).toBe(true);
    expect(check(h, { consistencyModels: ['serializable'] }).types).toEqual(['G1c']);
  });

  it('G-single from the initial state: nil precedes every value', () => {
    const h = new HistoryBuilder('rw-register');
    const t1 = h.invoke(0, 'rxry1');
    h.txn(1, 'wy1wx2');
    h.complete(t1);
    const r = check(h.ops(), { consistencyModels: ['serializable'] });
    expect(r).toMatchObject({ valid: false, types: ['G-single-item'], not: ['consistent-view', 'repeatable-read'] });
    expect(r.details.cycles[0]!.explanation).toContain('read key "x" = nil, and T2 set it to 2');
  });

  it('G-single needs writes-follow-reads to see a version order', () => {
    const h = oneProcess('ry1wx1wy2', 'rx1ry1');
    expect(check(h, { consistencyModels: ['serializable'] }).valid).toBe(true);
    const r = check(h, { consistencyModels: ['serializable'], wfrKeys: true });
    expect(r).toMatchObject({ valid: false, types: ['G-single-item'], not: ['consistent-view', 'repeatable-read'] });
  });

  it('G2-item from linearizable keys', () => {
    const h = new HistoryBuilder('rw-register');
    h.txn(0, 'rx1ry1');
    const t2 = h.invoke(1, 'rx1wy2');
    h.txn(2, 'ry1wx2');
    h.complete(t2);
    const ops = h.ops();
    expect(check(ops, { consistencyModels: ['read-committed'], linearizableKeys: true }).valid).toBe(true);
    expect(check(ops, { ...only('G2'), linearizableKeys: true })).toMatchObject({ valid: false, types: ['G2-item'], not: ['repeatable-read'] });
  });

  it('internal: a second read differs from the first', () => {
    const r = check(serial('rx1rx2'), only('internal'));
    expect(r).toMatchObject({ valid: false, types: ['empty-transaction-graph', 'internal'], not: ['read-atomic'] });
  });

  it('lost-update: two transactions read 0 and both write', () => {
    const r = check(serial('rx0wx1', 'rx0wx2'));
    expect(r).toMatchObject({ valid: false, types: ['lost-update'], not: ['cursor-stability', 'update-atomic'] });
  });

  it('cyclic-versions: sequential keys contradict themselves', () => {
    const r = check(oneProcess('wx1', 'wx2', 'rx1'), { sequentialKeys: true });
    expect(r).toMatchObject({ valid: false, types: ['cyclic-versions'], not: ['read-uncommitted'] });
    expect(r.result.anomalies[0]!.data).toMatchObject({ key: 'x', sources: ['initial-state', 'sequential-keys'] });
  });

  it('cyclic-versions from linearizable keys, and G1c-realtime (a read from the future)', () => {
    const r = check(oneProcess('rx1', 'rx', 'rx4wx3', 'wx4'), {
      consistencyModels: ['strong-serializable'],
      wfrKeys: true,
      linearizableKeys: true,
    });
    expect(r).toMatchObject({ valid: false, types: ['G1c-realtime', 'cyclic-versions'], not: ['read-uncommitted'] });
    expect(r.details.cycles[0]!.steps.map((s) => s.rel).sort()).toEqual(['realtime', 'wr']);
  });

  it('does not invent version cycles from linearizable keys (jepsen-io/elle cyclic-versions bug)', () => {
    const h = new HistoryBuilder('rw-register');
    h.raw({ process: 0, type: 'invoke', f: 'txn', value: [] }).raw({ process: 0, type: 'ok', f: 'txn', value: [] });
    const r1 = h.invoke(0, 'rx');
    const w = h.invoke(1, 'wx4');
    const empty = h.invoke(2, '');
    h.complete(r1).complete(w).complete(empty);
    h.raw({ process: 0, type: 'invoke', f: 'txn', value: [] }).raw({ process: 0, type: 'ok', f: 'txn', value: [] });
    h.txn(0, 'rx4');
    expect(check(h.ops(), { consistencyModels: ['serializable'], linearizableKeys: true }).valid).toBe(true);
  });

  it('reports two writers of one value as unknown', () => {
    const r = check(serial('wx1', 'wx1', 'rx1'));
    expect(r).toMatchObject({ valid: 'unknown', types: ['duplicate-writes'] });
  });
});
