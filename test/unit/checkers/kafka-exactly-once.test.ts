import { describe, expect, it } from 'vitest';
import type { CheckOptions } from '../../../checkers/checker.js';
import type { Op, OpType } from '../../../checkers/history/op.js';
import { checkExactlyOnce } from '../../../checkers/kafka/exactly-once-checker.js';

type Row = [process: number, type: OpType, f: string, value: unknown];
const history = (...rows: Row[]): Op[] => rows.map(([process, type, f, value], index) => ({ index, process, type, f, value }));

/** Producer p sends values to input partition `in`, at offsets from `first`. */
const produce = (p: number, values: string[], first = 0): Row[] => [
  [p, 'invoke', 'send', values.map((v) => ['send', 'in', v])],
  [p, 'ok', 'send', values.map((v, i) => ['send', 'in', [first + i, v]])],
];
/** A copy transaction: polls input records and sends them to `out` at the given offsets. */
const copy = (p: number, records: [number, string][], outOffsets: number[], type: OpType = 'ok'): Row[] => [
  [p, 'invoke', 'txn', [['poll']]],
  [p, type, 'txn', [['poll', { in: records }], ...records.map(([, v], i) => ['send', 'out', [outOffsets[i] ?? null, v]])]],
];
const verify = (p: number, records: [number, string][]): Row[] => [
  [p, 'invoke', 'poll', [['poll']]],
  [p, 'ok', 'poll', [['poll', { out: records }]]],
];

function check(rows: Row[][], opts: CheckOptions = {}) {
  const r = checkExactlyOnce(history(...rows.flat()), opts);
  return { r, valid: r.valid, types: r.anomalyTypes, of: (t: string) => r.anomalies.filter((a) => a.type === t) };
}

describe('kafka exactly-once (transactional copy)', () => {
  it('passes when the output holds every input record once', () => {
    const c = check([produce(0, ['a', 'b', 'c']), copy(1, [[0, 'a'], [1, 'b']], [0, 1]), copy(1, [[2, 'c']], [3]), verify(2, [[0, 'a'], [1, 'b'], [3, 'c']])]);
    expect(c.valid).toBe(true);
    expect(c.r.summary).toMatch(/^Exactly once: output = input \(3 input records/);
  });

  it('passes when an aborted copy is redone by a committed one', () => {
    const c = check([produce(0, ['a']), copy(1, [[0, 'a']], [0], 'fail'), copy(2, [[0, 'a']], [2]), verify(3, [[2, 'a']])]);
    expect(c.valid).toBe(true);
  });

  it('lost: an acknowledged input record never reached the output', () => {
    const c = check([produce(0, ['a', 'b']), copy(1, [[0, 'a']], [0]), verify(2, [[0, 'a']])]);
    expect(c.valid).toBe(false);
    expect(c.types).toEqual(['lost']);
    expect(c.of('lost')[0]!.explanation).toBe('input value "b" (in offset 1, acknowledged to op 1 (process 0, ok send)) never appeared in any output partition');
  });

  it('duplicate and double-copy: two committed copies of one record', () => {
    const c = check([produce(0, ['a']), copy(1, [[0, 'a']], [0]), copy(2, [[0, 'a']], [2]), verify(3, [[0, 'a'], [2, 'a']])]);
    expect(c.types).toEqual(['double-copy', 'duplicate']);
    expect(c.of('duplicate')[0]!.explanation).toMatch(/output value "a" appears 2 times: out offset 0 .*, out offset 2 .*; it was sent by op 3 .* and op 5/);
    expect(c.of('double-copy')[0]!.data).toEqual({ key: 'in', record: '0', copies: [3, 5] });
  });

  it('aborted-read: the output shows what only an aborted copy sent', () => {
    const c = check([produce(0, ['a']), copy(1, [[0, 'a']], [0], 'fail'), verify(2, [[0, 'a']])]);
    expect(c.types).toEqual(['aborted-read']);
  });

  it('phantom: the output shows a value no input had', () => {
    const c = check([produce(0, ['a']), copy(1, [[0, 'a']], [0]), verify(2, [[0, 'a'], [1, 'zzz']])]);
    expect(c.types).toEqual(['phantom']);
  });

  it('cannot judge a history that never read the output', () => {
    const c = check([produce(0, ['a']), copy(1, [[0, 'a']], [0])]);
    expect(c.valid).toBe('unknown');
    expect(c.types).toEqual(['output-never-read']);
  });

  it('needs every partition to be input or output', () => {
    expect(() => check([produce(0, ['a']), [[1, 'invoke', 'send', [['send', 'audit', 'x']]], [1, 'ok', 'send', [['send', 'audit', [0, 'x']]]]]])).toThrow(/partitions "audit" are neither input nor output/);
    const c = check([produce(0, ['a']), copy(1, [[0, 'a']], [0]), verify(2, [[0, 'a']])], { inputKeys: ['in'], outputKeys: ['out'] });
    expect(c.valid).toBe(true);
  });
});
