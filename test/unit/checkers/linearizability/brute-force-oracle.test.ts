import { describe, expect, it } from 'vitest';
import type { Op } from '../../../../checkers/history/op.js';
import { linearizabilityChecker } from '../../../../checkers/linearizability/linearizability-checker.js';
import { seededRandom } from '../../../../checkers/linearizability/synthetic-histories.js';
import { findModel, isInconsistent, type ModelOp } from '../../../../checkers/models/index.js';

/**
 * The search prunes a lot (read-only reduction, info subsumption and twins, growing-state
 * pruning, earliest-deadline order). This compares its verdicts with a brute force that tries
 * every order of every subset of indeterminate ops, on thousands of small random histories
 * that are as often valid as not.
 */
interface Interval {
  op: ModelOp;
  start: number;
  end: number; // Infinity for indeterminate ops
  info: boolean;
}

function bruteForce(model: string, intervals: Interval[], init: unknown): boolean {
  const m = findModel(model)!;
  const done = new Array<boolean>(intervals.length).fill(false);
  const search = (state: unknown, remainingOk: number): boolean => {
    if (remainingOk === 0) return true;
    // An op may go next if no pending ok op returned before it started.
    const horizon = Math.min(...intervals.filter((x, i) => !done[i] && !x.info).map((x) => x.end));
    for (let i = 0; i < intervals.length; i++) {
      const x = intervals[i]!;
      if (done[i] || x.start > horizon) continue;
      const next = m.step(state, x.op);
      if (isInconsistent(next)) continue;
      done[i] = true;
      const ok = search(next, remainingOk - (x.info ? 0 : 1));
      done[i] = false;
      if (ok) return true;
    }
    return false;
  };
  return search(m.initial(init), intervals.filter((x) => !x.info).length);
}

/** Each op its own process; events ordered by time. */
function toHistory(intervals: Interval[]): Op[] {
  const events: { at: number; op: Op }[] = [];
  intervals.forEach((x, i) => {
    const base = { process: i, f: x.op.f, ...(x.op.key !== undefined ? { key: x.op.key } : {}) };
    events.push({ at: x.start, op: { index: 0, ...base, type: 'invoke', value: x.op.value } });
    events.push({ at: x.info ? x.start + 0.5 : x.end, op: { index: 0, ...base, type: x.info ? 'info' : 'ok', value: x.op.value } });
  });
  events.sort((a, b) => a.at - b.at);
  return events.map((e, index) => ({ ...e.op, index }));
}

type OpMaker = (random: () => number) => ModelOp;
const pick = <T,>(random: () => number, xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

const cases: { model: string; init?: unknown; make: OpMaker; infoRate: number }[] = [
  {
    model: 'cas-register',
    init: 0,
    infoRate: 0.2,
    make: (r) => {
      const v = () => Math.floor(r() * 3);
      const f = pick(r, ['read', 'write', 'cas']);
      return { f, value: f === 'read' ? (r() < 0.15 ? null : v()) : f === 'write' ? v() : [v(), v()] };
    },
  },
  {
    model: 'kv',
    infoRate: 0.15,
    make: (r) => {
      const f = pick(r, ['get', 'get', 'append', 'append', 'put']);
      const key = pick(r, ['a', 'b']);
      const s = pick(r, ['', 'x', 'y', 'xy', 'yx', 'xx']);
      return { f, key, value: f === 'get' ? s : f === 'put' ? pick(r, ['', 'x']) : pick(r, ['x', 'y']) };
    },
  },
  {
    model: 'set',
    infoRate: 0.15,
    make: (r) => (r() < 0.5 ? { f: 'add', value: Math.floor(r() * 3) } : { f: 'read', value: [0, 1, 2].filter(() => r() < 0.5) }),
  },
  { model: 'mutex', infoRate: 0.15, make: (r) => ({ f: pick(r, ['acquire', 'release']), value: null }) },
  { model: 'fifo-queue', infoRate: 0.1, make: (r) => ({ f: pick(r, ['enqueue', 'dequeue']), value: Math.floor(r() * 2) }) },
  { model: 'unordered-queue', infoRate: 0.1, make: (r) => ({ f: pick(r, ['enqueue', 'dequeue']), value: Math.floor(r() * 2) }) },
  {
    model: 'multi-register',
    init: { x: 0, y: 0 },
    infoRate: 0.15,
    make: (r) => ({ f: 'txn', value: [0, 1].slice(0, 1 + Math.floor(r() * 2)).map(() => [pick(r, ['read', 'write']), pick(r, ['x', 'y']), Math.floor(r() * 2)]) }),
  },
];

describe('the search agrees with a brute force on small random histories', () => {
  for (const c of cases) {
    it(`${c.model}`, async () => {
      const random = seededRandom(c.model.length * 7919);
      const verdicts = { valid: 0, invalid: 0 };
      for (let trial = 0; trial < 400; trial++) {
        const n = 2 + Math.floor(random() * 6);
        const intervals: Interval[] = Array.from({ length: n }, () => {
          const start = random() * 10;
          const info = random() < c.infoRate;
          return { op: c.make(random), start, end: info ? Infinity : start + 0.2 + random() * 4, info };
        });
        const expected = c.model === 'kv' ? ['a', 'b'].every((k) => bruteForce('kv', intervals.filter((x) => x.op.key === k), c.init)) : bruteForce(c.model, intervals, c.init);
        const result = await linearizabilityChecker.check(toHistory(intervals), c.model, { init: c.init, workers: 1, checkAllPartitions: true });
        if (result.valid !== expected) {
          throw new Error(`${c.model} trial ${trial}: search says ${String(result.valid)}, brute force ${expected}\n${JSON.stringify(intervals)}`);
        }
        verdicts[expected ? 'valid' : 'invalid']++;
      }
      // The generator must exercise both answers, or this test proves nothing.
      expect(verdicts.valid).toBeGreaterThan(40);
      expect(verdicts.invalid).toBeGreaterThan(40);
    });
  }
});
