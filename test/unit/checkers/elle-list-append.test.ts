import { describe, expect, it } from 'vitest';
import type { CheckOptions } from '../../../checkers/checker.js';
import { checkElle } from '../../../checkers/elle/elle-checker.js';
import type { ElleDetails } from '../../../checkers/elle/elle-run.js';
import type { Op } from '../../../checkers/history/op.js';
import { HistoryBuilder } from './elle-history-dsl.js';

function check(ops: Op[], opts: CheckOptions = {}) {
  const r = checkElle(ops, 'list-append', opts);
  const details = r.details as ElleDetails;
  return { valid: r.valid, types: r.anomalyTypes, not: details.not, result: r, details };
}

/** One transaction per process, run one after another. */
function serial(...specs: string[]): Op[] {
  const h = new HistoryBuilder();
  specs.forEach((s, p) => h.txn(p, s));
  return h.ops();
}

const only = (...anomalies: string[]): CheckOptions => ({ consistencyModels: [], anomalies });

describe('elle list-append: valid histories pass', () => {
  it('accepts a serial history of appends and reads', () => {
    const r = check(serial('ax1', 'ax2ay1', 'rx12ry1', 'ay2', 'rx12ry12'));
    expect(r.valid).toBe(true);
    expect(r.types).toEqual([]);
    expect(r.result.summary).toMatch(/no anomalies found/);
  });

  it('accepts concurrent transactions that serialize in realtime order', () => {
    const h = new HistoryBuilder();
    const a = h.invoke(0, 'ax1');
    const b = h.invoke(1, 'ay1rx');
    h.complete(b, 'ok', 'ay1rx');
    h.complete(a);
    h.txn(2, 'rx1ry1');
    expect(check(h.ops()).valid).toBe(true);
  });

  it('lets one transaction read, then append twice to the same key', () => {
    expect(check(serial('rxax1ax2', 'rx12')).valid).toBe(true);
  });

  it('allows a cycle of two adjacent rw edges under snapshot isolation but not repeatable read', () => {
    // rw rw wr rw wr: two rw edges adjacent, which SI allows.
    const h = serial('rx5ay1', 'ryaz2', 'rzat3', 'rt3au4', 'ruax5');
    expect(check(h, { consistencyModels: ['snapshot-isolation'] }).valid).toBe(true);
  });
});

describe('elle list-append: cycle anomalies', () => {
  it('G0: write cycle', () => {
    const h = serial('ax1ay1', 'ax2ay2', 'rx12ry21');
    const r = check(h, only('G0'));
    expect(r).toMatchObject({ valid: false, types: ['G0'], not: ['read-uncommitted'] });
    const cycle = r.details.cycles[0]!;
    expect(cycle.steps.map((s) => s.rel)).toEqual(['ww', 'ww']);
    expect(cycle.explanation).toContain('T2 appended 2 after T1 appended 1 to "x"');
    expect(check(h, only('G1')).types).toEqual(['G0']);
    expect(check(h, only('G2')).valid).toBe(true);
  });

  it('G1c: circular information flow', () => {
    const h = serial('ax1ry1', 'ax2ay1', 'rx12');
    const r = check(h, only('G1'));
    expect(r).toMatchObject({ valid: false, types: ['G1c'], not: ['read-committed'] });
    expect(r.details.cycles[0]!.steps.map((s) => s.rel)).toEqual(['wr', 'ww']);
    expect(r.details.cycles[0]!.explanation).toMatch(/observed T\d's append of 1 to key "y"/);
    expect(check(h, only('G0')).valid).toBe(true);
    expect(check(h, only('G2')).valid).toBe(true);
  });

  it('G-single: read skew', () => {
    const h = serial('ax1ay1', 'ax2ry', 'rx12');
    const r = check(h, only('G-single'));
    expect(r).toMatchObject({ valid: false, types: ['G-single-item'], not: ['consistent-view', 'repeatable-read'] });
    const [cycle] = r.details.cycles;
    expect(cycle!.steps.map((s) => s.rel)).toEqual(['rw', 'ww']);
    expect(cycle!.explanation).toContain('observed the initial (nil) state of "y", which T2 created by appending 1');
    expect(cycle!.explanation).toMatch(/However, T2 < T1, because .*: a contradiction!/);
    expect(check(h, only('G0')).valid).toBe(true);
    expect(check(h, only('G1')).valid).toBe(true);
    expect(check(h, only('G2')).types).toEqual(['G-single-item']);
  });

  it('G2-item: anti-dependency cycle', () => {
    const h = serial('ax1ry', 'ay1rx');
    expect(check(h, { consistencyModels: ['read-committed'] }).valid).toBe(true);
    for (const opts of [only('G2'), { consistencyModels: ['serializable'] }, { consistencyModels: ['repeatable-read'] }]) {
      const r = check(h, opts);
      expect(r).toMatchObject({ valid: false, types: ['G2-item'], not: ['repeatable-read'] });
      expect(r.details.cycles[0]!.steps.map((s) => s.rel)).toEqual(['rw', 'rw']);
    }
  });

  it('G-nonadjacent: two rw edges that are not adjacent', () => {
    const h = serial('ax1', 'rx1ry', 'ay1', 'ry1rx');
    const r = check(h);
    expect(r).toMatchObject({ valid: false, types: ['G-nonadjacent-item'], not: ['repeatable-read', 'snapshot-isolation'] });
    expect(r.details.cycles[0]!.steps.map((s) => s.rel)).toEqual(['rw', 'wr', 'rw', 'wr']);
  });

  it('G-single under repeatable read (items, no predicates)', () => {
    const r = check(serial('ax1ay1', 'rx1ry'), { consistencyModels: ['repeatable-read'] });
    expect(r).toMatchObject({ valid: false, types: ['G-single-item'], not: ['consistent-view', 'repeatable-read'] });
  });

  it('G-nonadjacent under repeatable read', () => {
    const r = check(serial('ax1at1', 'rx1ry', 'ay1az2', 'rz2rt'), { consistencyModels: ['repeatable-read'] });
    expect(r).toMatchObject({ valid: false, types: ['G-nonadjacent-item'], not: ['repeatable-read', 'snapshot-isolation'] });
  });

  it('G-single-realtime: a stale read only strict serializability forbids', () => {
    // T1 anti-depends on T2, but T1 began after T2 completed.
    const h = serial('ax1', 'ax2', 'rx1', 'rx12');
    expect(check(h, only('G2')).valid).toBe(true);
    expect(check(h, { consistencyModels: ['serializable'] }).valid).toBe(true);
    const r = check(h, { consistencyModels: ['strict-serializable'] });
    expect(r).toMatchObject({ valid: false, types: ['G-single-item-realtime'], not: ['strong-snapshot-isolation'] });
    const steps = r.details.cycles[0]!.steps;
    expect(steps.map((s) => s.rel)).toEqual(['rw', 'realtime']);
    expect(steps[1]!.text).toMatch(/T2 completed at index 3, 0.001 seconds before the invocation of T1, at index 4/);
  });

  it('G-single-process: a process fails to read its own earlier write', () => {
    const h = new HistoryBuilder().txn(0, 'ax1').txn(1, 'ax2').txn(1, 'rx1').txn(2, 'rx12').ops();
    expect(check(h, { consistencyModels: ['serializable'] }).valid).toBe(true);
    const r = check(h, { consistencyModels: ['strong-session-snapshot-isolation'] });
    expect(r).toMatchObject({ valid: false, types: ['G-single-item-process'], not: ['strong-session-snapshot-isolation'] });
    expect(r.details.cycles[0]!.steps[1]!.text).toBe('process 1 executed T2 before T1');
  });

  it('G-nonadjacent-process (jepsen-io/elle#17)', () => {
    const h = new HistoryBuilder().txn(0, 'rxrz1').txn(1, 'ax1').txn(1, 'rz').txn(2, 'az1').ops();
    expect(check(h, { consistencyModels: ['serializable'] }).valid).toBe(true);
    const r = check(h, { consistencyModels: ['strong-session-snapshot-isolation'] });
    expect(r).toMatchObject({ valid: false, types: ['G-nonadjacent-item-process'], not: ['strong-session-snapshot-isolation'] });
    expect(r.details.cycles[0]!.steps.map((s) => s.rel).sort()).toEqual(['process', 'rw', 'rw', 'wr']);
  });

  it('G1c-process: wr, wr and process order (jepsen-io/elle#21)', () => {
    const h = new HistoryBuilder().txn(1, 'rx1ay1').txn(2, 'ry1').txn(2, 'ax1').ops();
    const r = check(h, { consistencyModels: ['strong-session-snapshot-isolation'] });
    expect(r).toMatchObject({ valid: false, types: ['G1c-process'], not: ['strong-session-read-committed'] });
  });

  it('infers order from unobserved appends: G-single and G0 together', () => {
    // y never shows 1, so the append of 1 to y came after 2.
    const h = new HistoryBuilder();
    const w1 = h.invoke(0, 'ax1ay1');
    const w2 = h.invoke(1, 'ax2ay2');
    const w3 = h.invoke(2, 'ax3ay3');
    const rx = h.invoke(3, 'rx12');
    const ry = h.invoke(4, 'ry2');
    h.complete(w1).complete(w2).complete(w3).complete(rx).complete(ry);
    const r = check(h.ops(), { consistencyModels: ['serializable'] });
    expect(r).toMatchObject({ valid: false, types: ['G-single-item', 'G0'], not: ['read-uncommitted'] });
  });
});

describe('elle list-append: non-cycle anomalies', () => {
  it('G1a: aborted read', () => {
    const h = new HistoryBuilder().txn(0, 'ax1', 'fail').txn(1, 'rx1').ops();
    expect(check(h, { consistencyModels: ['read-uncommitted'] })).toMatchObject({
      valid: 'unknown',
      types: ['empty-transaction-graph'],
      not: ['read-committed'],
    });
    const r = check(h, { consistencyModels: ['read-committed'] });
    expect(r).toMatchObject({ valid: false, types: ['G1a', 'empty-transaction-graph'], not: ['read-committed'] });
    const g1a = r.result.anomalies.find((a) => a.type === 'G1a')!;
    expect(g1a.explanation).toBe('op 3 read key "x" = [1], which includes 1, appended by op 1, which failed: an aborted read');
    expect(g1a.ops).toEqual([3, 1]);
    expect(check(h, { consistencyModels: ['repeatable-read'] }).valid).toBe(false);
  });

  it('G1b: intermediate read (which is also G-single)', () => {
    const h = serial('ax1ax2', 'rx1');
    expect(check(h, only('G0')).valid).toBe(true);
    expect(check(h, only('G1'))).toMatchObject({ valid: false, types: ['G1b'], not: ['read-committed'] });
    expect(check(h, only('G2'))).toMatchObject({ valid: false, types: ['G-single-item'], not: ['read-committed'] });
    const r = check(h);
    expect(r.types).toEqual(['G-single-item', 'G1b']);
    expect(r.result.anomalies.find((a) => a.type === 'G1b')!.explanation).toMatch(/an intermediate read/);
  });

  it('internal: a read disagrees with the transaction itself', () => {
    const r = check(serial('ax1ax2ax4', 'ax3rx1234'), only('internal'));
    expect(r).toMatchObject({ valid: false, types: ['internal'], not: ['read-uncommitted'] });
    expect(r.result.anomalies[0]!.explanation).toContain('it should have read [..., 3]');
  });

  it('internal: stale read, wrong prefix, extension, short read', () => {
    for (const spec of ['rx12ax3rx12', 'rx12ax3rx023', 'rx12ax3rx1234', 'rx12ax3rx1', 'ax6rx', 'rxrx2']) {
      expect(check(serial(spec), only('internal')).types, spec).toContain('internal');
    }
    expect(check(serial('ry56ax3rx123ax4rx1234'), only('internal')).types).not.toContain('internal');
  });

  it('future-read: a transaction reads what it appends later', () => {
    const h = new HistoryBuilder()
      .raw({ process: 0, type: 'invoke', f: 'txn', value: [['r', 'x', null], ['append', 'x', 1]] })
      .raw({ process: 0, type: 'ok', f: 'txn', value: [['r', 'x', [1]], ['append', 'x', 1]] })
      .ops();
    const r = check(h, { consistencyModels: ['read-committed'] });
    expect(r).toMatchObject({ valid: false, types: ['empty-transaction-graph', 'future-read'], not: ['read-committed'] });
  });

  it('incompatible-order: two reads that no single append order explains', () => {
    const r = check(serial('ax1ry1', 'ax2', 'ax3ay1', 'rx13', 'rx123'), only('G1'));
    expect(r).toMatchObject({ valid: false, types: ['G1c', 'incompatible-order'], not: ['read-committed'] });
    const io = r.result.anomalies.find((a) => a.type === 'incompatible-order')!;
    expect(io.data).toEqual({ key: 'x', values: [[1, 3], [1, 2, 3]] });
  });

  it('duplicate-elements: an element read twice', () => {
    const r = check(serial('ax1ry1', 'ax2ay1', 'rx121'), { consistencyModels: ['read-committed'] });
    expect(r).toMatchObject({ valid: false, types: ['G1c', 'duplicate-elements'], not: ['read-uncommitted'] });
    expect(r.result.anomalies.find((a) => a.type === 'duplicate-elements')!.explanation).toContain('1 appears 2 times');
  });

  it('dirty-update: a committed append on top of a failed one', () => {
    const direct = new HistoryBuilder().txn(0, 'ax1', 'fail').txn(1, 'ax2').txn(2, 'rx12').ops();
    const r = check(direct, only('dirty-update'));
    expect(r).toMatchObject({ valid: false, types: ['dirty-update'], not: ['read-committed'] });
    expect(r.result.anomalies[0]!.data).toMatchObject({ key: 'x', values: [1, 2] });
    const indirect = new HistoryBuilder().txn(0, 'ax1', 'fail').txn(1, 'ax2', 'info').txn(2, 'ax3').txn(3, 'rx123').ops();
    expect(check(indirect, only('dirty-update')).result.anomalies[0]!.data).toMatchObject({ values: [1, 2, 3] });
    const none = new HistoryBuilder().txn(0, 'ax1', 'fail').ops();
    expect(check(none, only('dirty-update'))).toMatchObject({ valid: 'unknown', types: ['empty-transaction-graph'], not: [] });
  });

  it('lost-update: two transactions read the same version and both append', () => {
    const r = check(serial('ax0', 'rx0ax1', 'rx0ax2'));
    expect(r).toMatchObject({ valid: false, types: ['G2-item', 'lost-update'], not: ['cursor-stability', 'update-atomic'] });
    expect(r.result.anomalies.find((a) => a.type === 'lost-update')!.explanation).toMatch(/ops 3, 5 all read key "x" = \[0\]/);
  });

  it('info transactions: their nil reads prove nothing, their appends may have happened', () => {
    // T1 (info) appended 2 after T2's 1; its crashed read of y says nothing about T2.
    const h = new HistoryBuilder().txn(0, 'ax2ry', 'info').txn(1, 'ax1ay1').txn(2, 'rx12ry1').ops();
    expect(check(h, { consistencyModels: ['serializable'] }).valid).toBe(true);
  });
});

describe('elle list-append: verdict plumbing', () => {
  it('reports duplicate appends as unknown: versions would be ambiguous', () => {
    const r = check(serial('ax1ry', 'ay2ax1'));
    expect(r).toMatchObject({ valid: 'unknown', types: ['duplicate-appends'] });
    expect(r.result.anomalies[0]!.explanation).toMatch(/appended to key "x" by both op 1 and op 3/);
  });

  it('rejects a history of another workload with a usage error naming the op', () => {
    const h = new HistoryBuilder().raw({ process: 0, type: 'invoke', f: 'txn', value: [['w', 'x', 1]] }).raw({ process: 0, type: 'ok', f: 'txn', value: [['w', 'x', 1]] }).ops();
    expect(() => check(h)).toThrow(/op 1 .*cannot be checked as list-append: micro-op \["w","x",1\]/);
  });

  it('rejects unknown consistency models, listing the known ones', () => {
    expect(() => check(serial('ax1'), { consistencyModels: ['serialisable'] })).toThrow(/Unknown consistency model "serialisable"; known models are: .*serializable/);
  });

  it('keeps every case counted but only the first few explained', () => {
    const h = new HistoryBuilder().txn(0, 'ax1', 'fail');
    for (let p = 1; p <= 10; p++) h.txn(p, 'rx1');
    const r = check(h.ops(), { consistencyModels: ['read-committed'], maxAnomaliesPerType: 3 });
    expect(r.result.anomalies.filter((a) => a.type === 'G1a')).toHaveLength(3);
    expect(r.details.anomalyCounts.G1a).toBe(10);
  });
});
