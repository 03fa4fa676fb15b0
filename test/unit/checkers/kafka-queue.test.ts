import { describe, expect, it } from 'vitest';
import type { CheckOptions } from '../../../checkers/checker.js';
import type { Op, OpType } from '../../../checkers/history/op.js';
import { checkKafkaQueue, KafkaQueueDetails } from '../../../checkers/kafka/kafka-queue-checker.js';

/** [process, type, f, value]; positions become indices, and time follows position. */
type Row = [process: number, type: OpType, f: string, value: unknown];

function history(...rows: Row[]): Op[] {
  return rows.map(([process, type, f, value], index) => ({ index, time: index * 1_000_000, process, type, f, value }));
}

const send = (p: number, k: string, v: unknown, completed: unknown = v, type: OpType = 'ok'): Row[] => [
  [p, 'invoke', 'send', [['send', k, v]]],
  [p, type, 'send', [['send', k, completed]]],
];
const poll = (p: number, result: Record<string, [number, unknown][]>, type: OpType = 'ok', f = 'poll'): Row[] => [
  [p, 'invoke', f, [['poll']]],
  [p, type, f, [['poll', result]]],
];

function check(rows: Row[][], opts: CheckOptions = {}) {
  const r = checkKafkaQueue(history(...rows.flat()), opts);
  const d = r.details as KafkaQueueDetails;
  const of = (type: string) => r.anomalies.filter((a) => a.type === type);
  return { r, d, of, valid: r.valid, bad: d.badErrorTypes, errors: d.errorTypes };
}

describe('kafka queue: valid histories pass', () => {
  it('sends and polls that agree', () => {
    const c = check([
      [[0, 'invoke', 'assign', ['x']], [0, 'ok', 'assign', ['x']]],
      send(1, 'x', 'a', [0, 'a']),
      send(1, 'x', 'b', [1, 'b']),
      poll(0, { x: [[0, 'a'], [1, 'b']] }),
      send(1, 'x', 'c', [2, 'c']),
      poll(0, { x: [[2, 'c']] }),
    ]);
    expect(c.valid).toBe(true);
    expect(c.errors).toEqual([]);
    expect(c.r.summary).toMatch(/no queue errors/);
  });

  it('treats gaps left by transaction markers as contiguous', () => {
    const c = check([send(1, 'x', 'a', [0, 'a']), send(1, 'x', 'b', [5, 'b']), poll(0, { x: [[0, 'a'], [5, 'b']] })]);
    expect(c.valid).toBe(true);
  });

  it('an aborted poll rewinds: re-reading after a failed txn is fine', () => {
    const c = check([
      [[0, 'invoke', 'send', [['send', 'x', 0], ['send', 'x', 1], ['send', 'x', 2]]], [0, 'ok', 'send', [['send', 'x', [0, 0]], ['send', 'x', [1, 1]], ['send', 'x', [2, 2]]]]],
      poll(1, { x: [[0, 0]] }, 'ok', 'txn'),
      poll(1, { x: [[1, 1], [2, 2]] }, 'fail', 'txn'),
      poll(1, { x: [[1, 1], [2, 2]] }, 'ok', 'txn'),
    ]);
    expect(c.valid).toBe(true);
  });
});

describe('kafka queue: errors', () => {
  it('inconsistent-offsets: only when the conflicting send provably committed', () => {
    const send1: Row[] = [[0, 'invoke', 'send', [['send', 'x', 1], ['send', 'y', 1]]], [0, 'info', 'send', [['send', 'x', [0, 1]], ['send', 'y', 1]]]];
    const send2 = send(1, 'x', 2, [0, 2]);
    expect(check([send1, send2]).errors).not.toContain('inconsistent-offsets');
    const c = check([send1, send2, poll(2, { y: [[5, 1]] })]);
    expect(c.bad).toContain('inconsistent-offsets');
    expect(c.of('inconsistent-offsets')[0]!.data).toEqual({ key: 'x', offset: 0, index: 0, values: [1, 2] });
  });

  it('G1a: a failed send was polled', () => {
    const c = check([
      [[0, 'invoke', 'send', [['send', 'x', 2], ['send', 'y', 3]]], [0, 'fail', 'send', [['send', 'x', 2], ['send', 'y', 3]]]],
      poll(1, { x: [[0, 2]] }),
    ]);
    expect(c.valid).toBe(false);
    expect(c.bad).toContain('G1a');
    expect(c.of('G1a')[0]!.data).toEqual({ key: 'x', value: 2, reader: 3, writer: 1 });
    expect(c.of('G1a')[0]!.explanation).toBe('op 3 (process 1, ok poll) polled 2 from key x, but op 1 (process 0, fail send) that sent it failed: an aborted read');
  });

  it('lost-write: values below the highest read were never read', () => {
    const c = check([
      send(0, 'x', 'a', [0, 'a']),
      [[0, 'invoke', 'send', [['send', 'x', 'b'], ['send', 'x', 'd']]], [0, 'ok', 'send', [['send', 'x', [1, 'b']], ['send', 'x', [3, 'd']]]]],
      send(1, 'x', 'c', 'c', 'info'),
      poll(0, { x: [[2, 'c']] }),
    ]);
    expect(c.bad).toContain('lost-write');
    expect(c.of('lost-write').map((a) => a.data)).toEqual([
      { key: 'x', value: 'a', index: 0, maxReadIndex: 2, writer: 1, maxRead: 7 },
      { key: 'x', value: 'b', index: 1, maxReadIndex: 2, writer: 3, maxRead: 7 },
    ]);
  });

  it('lost-write: an inconsistent log cannot hide a loss', () => {
    const c = check([
      send(0, 'x', 'a', [0, 'a']),
      [[0, 'invoke', 'send', [['send', 'x', 'b'], ['send', 'x', 'c']]], [0, 'ok', 'send', [['send', 'x', [0, 'b']], ['send', 'x', [2, 'c']]]]],
      poll(0, { x: [[0, 'b'], [2, 'c']] }),
    ]);
    expect(c.of('lost-write').map((a) => a.data)).toEqual([{ key: 'x', value: 'a', index: 0, maxReadIndex: 1, writer: 1, maxRead: 5 }]);
  });

  it('lost-write: a crashed transaction counts once a read proves it committed', () => {
    const sendAB: Row[] = [[0, 'invoke', 'send', [['send', 'x', 'a'], ['send', 'y', 'b']]], [0, 'info', 'send', [['send', 'x', 'a'], ['send', 'y', [0, 'b']]]]];
    const sendC = send(1, 'y', 'c', 'c', 'info');
    const pollC = poll(3, { y: [[1, 'c']] });
    expect(check([sendAB, sendC, pollC]).errors).not.toContain('lost-write');
    const c = check([sendAB, sendC, poll(2, { x: [[0, 'a']] }), pollC]);
    expect(c.of('lost-write').map((a) => a.data)).toEqual([{ key: 'y', value: 'b', index: 0, maxReadIndex: 1, writer: 1, maxRead: 7 }]);
  });

  const skipRows = (between: Row[][] = [[], []]): Row[][] => [
    poll(0, { x: [[1, 'a'], [2, 'b']] }),
    poll(1, { x: [[3, 'c']] }),
    between[0]!,
    poll(0, { x: [[4, 'd']] }),
    between[1]!,
    send(2, 'x', 'f', [6, 'f']),
    poll(0, { x: [[7, 'g']] }),
    [[3, 'invoke', 'send', ['a', 'b', 'c', 'd', 'g'].map((v) => ['send', 'x', v])], [3, 'info', 'send', ['a', 'b', 'c', 'd', 'g'].map((v) => ['send', 'x', v])]],
  ];

  it('poll-skip: a consumer jumps over records it should have seen', () => {
    const c = check(skipRows());
    expect(c.bad).toContain('poll-skip');
    expect(c.of('poll-skip').map((a) => a.data)).toEqual([
      { key: 'x', values: ['b', 'd'], delta: 2, skipped: ['c'], ops: [1, 5] },
      { key: 'x', values: ['d', 'g'], delta: 2, skipped: ['f'], ops: [5, 9] },
    ]);
    expect(c.of('poll-skip')[0]!.explanation).toBe('op 1 (process 0, ok poll) and then op 5 (process 0, ok poll) polled "b" then "d" on key x, skipping "c"');
  });

  it('poll-skip: reset by assigning away from the key, kept by assigns that keep it', () => {
    const assign = (keys: string[]): Row[] => [[0, 'invoke', 'assign', keys], [0, 'ok', 'assign', keys]];
    expect(check(skipRows([assign(['y']), assign(['y'])])).errors).not.toContain('poll-skip');
    expect(check(skipRows([assign(['x', 'y']), assign(['x', 'y'])])).of('poll-skip')).toHaveLength(2);
  });

  it('poll-skip is allowed when consumers subscribe (rebalances move them)', () => {
    const subscribe: Row[] = [[0, 'invoke', 'subscribe', ['x', 'y']], [0, 'ok', 'subscribe', ['x', 'y']]];
    const c = check(skipRows([subscribe, []]));
    expect(c.errors).toContain('poll-skip');
    expect(c.bad).not.toContain('poll-skip');
    expect(c.d.allowedErrorTypes).toContain('poll-skip');
    expect(c.r.summary).toMatch(/Allowed by Kafka's model here: .*poll-skip \(2\)/);
  });

  it('poll-skip: an aborted transaction does not advance the consumer', () => {
    const sends: Row[] = [[0, 'invoke', 'send', [0, 1, 2, 3, 4, 5].map((v) => ['send', 'x', v])], [0, 'ok', 'send', [0, 1, 2, 3, 4, 5].map((v) => ['send', 'x', [v, v]])]];
    const c = check([sends, poll(1, { x: [[0, 0]] }, 'ok', 'txn'), poll(1, { x: [[1, 1], [2, 2]] }, 'fail', 'txn'), poll(1, { x: [[3, 3], [4, 4]] }, 'fail', 'txn'), poll(1, { x: [[5, 5]] }, 'ok', 'txn')]);
    expect(c.of('poll-skip').map((a) => a.data)).toEqual([
      { key: 'x', values: [0, 3], delta: 3, skipped: [1, 2], ops: [3, 7] },
      { key: 'x', values: [0, 5], delta: 5, skipped: [1, 2, 3, 4], ops: [3, 9] },
    ]);
  });

  it('nonmonotonic-poll: a consumer goes back', () => {
    const sends: Row[] = [[0, 'invoke', 'send', ['a', 'b', 'c', 'd'].map((v) => ['send', 'x', v])], [0, 'ok', 'send', ['a', 'b', 'c', 'd'].map((v) => ['send', 'x', v])]];
    const c = check([sends, poll(0, { x: [[1, 'a'], [2, 'b'], [3, 'c']] }), poll(0, { x: [[2, 'b'], [3, 'c'], [4, 'd']] })]);
    expect(c.of('nonmonotonic-poll').map((a) => a.data)).toEqual([{ key: 'x', values: ['c', 'b'], delta: -1, ops: [3, 5] }]);
    expect(c.of('nonmonotonic-poll')[0]!.explanation).toMatch(/going back 1 record in the log/);
  });

  it('nonmonotonic-send: a producer sends behind its own earlier send', () => {
    const c = check([
      [[0, 'invoke', 'send', [['send', 'x', 'c'], ['send', 'x', 'd']]], [0, 'ok', 'send', [['send', 'x', [3, 'c']], ['send', 'x', [4, 'd']]]]],
      [[0, 'invoke', 'send', [['send', 'x', 'a'], ['send', 'x', 'b']]], [0, 'ok', 'send', [['send', 'x', [1, 'a']], ['send', 'x', [2, 'b']]]]],
    ]);
    expect(c.of('nonmonotonic-send').map((a) => a.data)).toEqual([{ key: 'x', values: ['d', 'a'], delta: -3, ops: [1, 3] }]);
  });

  it('int-poll-skip: within one op, a poll jumps over a record', () => {
    const sends: Row[] = [[1, 'invoke', 'send', ['a', 'b', 'd'].map((v) => ['send', 'x', v])], [1, 'info', 'send', ['a', 'b', 'd'].map((v) => ['send', 'x', v])]];
    const twoPolls: Row[] = [[0, 'invoke', 'poll', [['poll'], ['poll']]], [0, 'ok', 'poll', [['poll', { x: [[1, 'a']] }], ['poll', { x: [[4, 'd']] }]]]];
    const c = check([sends, poll(0, { x: [[1, 'a'], [4, 'd']] }), twoPolls, poll(0, { x: [[2, 'b']] })]);
    expect(c.of('int-poll-skip').map((a) => a.data)).toEqual([
      { key: 'x', values: ['a', 'd'], delta: 2, skipped: ['b'], ops: [3] },
      { key: 'x', values: ['a', 'd'], delta: 2, skipped: ['b'], ops: [5] },
    ]);
  });

  it('int-poll-skip is excused on a key the consumer was rebalanced on', () => {
    const sends: Row[] = [[1, 'invoke', 'send', ['a', 'b', 'd'].map((v) => ['send', 'x', v])], [1, 'info', 'send', ['a', 'b', 'd'].map((v) => ['send', 'x', v])]];
    const rebalanced: Row[] = [[0, 'invoke', 'poll', [['poll']]], [0, 'ok', 'poll', [['poll', { x: [[1, 'a'], [4, 'd']] }]]]];
    const ops = history(...[sends, rebalanced, poll(2, { x: [[2, 'b']] })].flat());
    ops[3]!.rebalanceLog = [{ keys: ['x'] }];
    const r = checkKafkaQueue(ops);
    expect((r.details as KafkaQueueDetails).errorTypes).not.toContain('int-poll-skip');
  });

  it('int-send-skip is normal: other producers interleave', () => {
    const c = check([
      [[0, 'invoke', 'send', [['send', 'x', 'a'], ['send', 'x', 'c']]], [0, 'ok', 'send', [['send', 'x', [1, 'a']], ['send', 'x', 'c']]]],
      send(1, 'x', 'b', 'b', 'info'),
      poll(2, { x: [[2, 'b'], [3, 'c']] }),
    ]);
    expect(c.of('int-send-skip')).toEqual([]);
    expect(c.errors).toContain('int-send-skip');
    expect(c.d.allowedErrorTypes).toContain('int-send-skip');
  });

  it('int-nonmonotonic-poll: within one op, polls go back or repeat', () => {
    const sends: Row[] = [[0, 'invoke', 'send', ['a', 'b', 'c'].map((v) => ['send', 'x', v])], [0, 'info', 'send', ['a', 'b', 'c'].map((v) => ['send', 'x', v])]];
    const repeat: Row[] = [[0, 'invoke', 'poll', [['poll'], ['poll']]], [0, 'ok', 'poll', [['poll', { x: [[2, 'b'], [3, 'c']] }], ['poll', { x: [[3, 'c']] }]]]];
    const c = check([sends, poll(1, { x: [[3, 'c'], [1, 'a']] }), [[2, ...repeat[0]!.slice(1)] as Row, [2, ...repeat[1]!.slice(1)] as Row]]);
    expect(c.of('int-nonmonotonic-poll').map((a) => a.data)).toEqual([
      { key: 'x', values: ['c', 'a'], delta: -2, ops: [3] },
      { key: 'x', values: ['c', 'c'], delta: 0, ops: [5] },
    ]);
  });

  it('int-nonmonotonic-send: within one op, sends land out of order', () => {
    const c = check([
      [[0, 'invoke', 'send', [['send', 'x', 3], ['send', 'x', 1]]], [0, 'ok', 'send', [['send', 'x', [3, 'c']], ['send', 'x', [1, 'a']]]]],
      [[1, 'invoke', 'send', [['send', 'y', 'd'], ['send', 'y', 'b']]], [1, 'info', 'send', [['send', 'y', 'd'], ['send', 'y', 'b']]]],
      send(2, 'y', 'c', 'c', 'info'),
      poll(3, { y: [[2, 'b'], [3, 'c'], [4, 'd']] }),
    ]);
    expect(c.of('int-nonmonotonic-send').map((a) => a.data)).toEqual([
      { key: 'x', values: ['c', 'a'], delta: -1, ops: [1] },
      { key: 'y', values: ['d', 'b'], delta: -2, ops: [3] },
    ]);
  });

  it('duplicate: one value at two offsets', () => {
    const c = check([send(0, 'x', 'a', [1, 'a']), send(1, 'x', 'b', 'b', 'info'), poll(2, { x: [[2, 'b'], [3, 'a']] })]);
    expect(c.of('duplicate').map((a) => a.data)).toEqual([{ key: 'x', value: 'a', count: 2, offsets: [1, 3] }]);
  });

  it('duplicate and inconsistent offsets: every value flagged, whatever the order', () => {
    const rows: Row[][] = [];
    for (let v = 0; v < 10; v++) rows.push(send(0, 'x', v, [0, v]), poll(1, { x: [[1, v]] }));
    const c = check(rows, { maxAnomaliesPerType: 100 });
    expect(c.of('duplicate').map((a) => (a.data as { value: number }).value).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(c.of('inconsistent-offsets').map((a) => (a.data as { offset: number }).offset)).toEqual([0, 1]);
  });

  it('duplicate: seen even in the polls of an aborted transaction', () => {
    const c = check([send(0, 'x', 0, [1, 0]), send(0, 'x', 1, [2, 1], 'fail'), poll(1, { x: [[11, 0], [12, 1]] }, 'fail')]);
    expect(c.of('duplicate').map((a) => a.data)).toEqual([{ key: 'x', value: 0, count: 2, offsets: [1, 11] }]);
  });

  it('unseen: acknowledged but never polled', () => {
    const c = check([poll(0, {}), [[0, 'invoke', 'send', [['send', 'x', 'a'], ['send', 'x', 'b']]], [0, 'ok', 'send', [['send', 'x', [0, 'a']], ['send', 'x', [1, 'b']]]]], poll(0, { x: [[0, 'a']] })]);
    expect(c.bad).toContain('unseen');
    expect(c.of('unseen')[0]!.data).toEqual({ unseen: { x: 1 }, messages: { x: ['b'] } });
    expect(check([poll(0, {}), [[0, 'invoke', 'send', [['send', 'x', 'a']]], [0, 'ok', 'send', [['send', 'x', [0, 'a']]]]], poll(0, { x: [[0, 'a']] })]).valid).toBe(true);
  });

  it('precommitted-read: a transaction sees its own uncommitted send', () => {
    const c = check([[[0, 'invoke', 'txn', [['send', 'x', 'a'], ['poll']]], [0, 'ok', 'txn', [['send', 'x', [0, 'a']], ['poll', { x: [[0, 'a']] }]]]]]);
    expect(c.bad).toContain('precommitted-read');
    expect(c.of('precommitted-read')[0]!.data).toEqual({ key: 'x', value: 'a', op: 1 });
  });
});

describe('kafka queue: cycles', () => {
  it('G0 (write cycle) is allowed: Kafka does not isolate writes', () => {
    const c = check(
      [
        [
          [0, 'invoke', 'send', [['send', 'x', 'a'], ['send', 'y', 'a']]],
          [1, 'invoke', 'send', [['send', 'x', 'b'], ['send', 'y', 'b']]],
          [0, 'ok', 'send', [['send', 'x', [0, 'a']], ['send', 'y', [1, 'a']]]],
          [1, 'ok', 'send', [['send', 'x', [1, 'b']], ['send', 'y', [0, 'b']]]],
        ],
        poll(2, { x: [[0, 'a'], [1, 'b']], y: [[0, 'b'], [1, 'a']] }),
      ],
      { wwDeps: true },
    );
    expect(c.errors).toContain('G0');
    expect(c.bad).toEqual([]);
    expect(c.valid).toBe(true);
  });

  it('G1c: two transactions each poll the other\'s send', () => {
    const c = check([
      [
        [0, 'invoke', 'txn', [['send', 'x', 'a'], ['poll']]],
        [1, 'invoke', 'txn', [['send', 'y', 'b'], ['poll']]],
        [0, 'ok', 'txn', [['send', 'x', [0, 'a']], ['poll', { y: [[0, 'b']] }]]],
        [1, 'ok', 'txn', [['send', 'y', [0, 'b']], ['poll', { x: [[0, 'a']] }]]],
      ],
    ]);
    expect(c.valid).toBe(false);
    expect(c.bad).toContain('G1c');
    const cycle = c.d.cycles.find((x) => x.type === 'G1c')!;
    expect(cycle.steps.map((s) => s.rel)).toEqual(['wr', 'wr']);
    expect(cycle.explanation).toMatch(/T1 sent "a" to x, which was polled by T2|T1 sent "b" to y, which was polled by T2/);
    expect(c.d.not).toEqual(['read-committed']);
  });

  it('G1c through ww and wr is allowed with ww edges', () => {
    const c = check(
      [
        [
          [0, 'invoke', 'txn', [['send', 'x', 'a'], ['send', 'y', 'c']]],
          [1, 'invoke', 'txn', [['poll'], ['send', 'y', 'b']]],
          [0, 'ok', 'txn', [['send', 'x', [0, 'a']], ['send', 'y', [2, 'c']]]],
          [1, 'ok', 'txn', [['poll', { x: [[0, 'a']] }], ['send', 'y', [1, 'b']]]],
        ],
        poll(2, { y: [[1, 'b'], [2, 'c']] }),
      ],
      { wwDeps: true },
    );
    expect(c.errors).toContain('G1c');
    expect(c.bad).not.toContain('G1c');
    expect(c.d.allowedErrorTypes).toContain('G1c');
  });

  it('G1c-realtime: polling a record sent only after the poll completed', () => {
    const c = check([poll(0, { x: [[0, 'a']] }), send(1, 'x', 'a', [0, 'a'])]);
    expect(c.bad).toContain('G1c-realtime');
    expect(c.d.cycles[0]!.steps.map((s) => s.rel).sort()).toEqual(['realtime', 'wr']);
  });
});

describe('kafka queue: input', () => {
  it('an empty history cannot be judged', () => {
    const c = check([[[0, 'invoke', 'assign', ['x']], [0, 'ok', 'assign', ['x']]]]);
    expect(c.valid).toBe('unknown');
    expect(c.r.anomalyTypes).toEqual(['empty-transaction-graph']);
  });

  it('rejects malformed ops with a usage error', () => {
    expect(() => checkKafkaQueue(history(...poll(0, [[0, 'a']] as never)))).toThrow(/op 1 .* is not a Kafka queue op: poll result .* is not a map/);
    expect(() => checkKafkaQueue(history([0, 'invoke', 'txn', [['write', 'x', 1]]], [0, 'ok', 'txn', [['write', 'x', 1]]]))).toThrow(/neither send nor poll/);
  });

  it('matches integer keys of sends with the text keys of poll maps', () => {
    const c = check([
      [[0, 'invoke', 'send', [['send', 1, 'a']]], [0, 'ok', 'send', [['send', 1, [0, 'a']]]]],
      poll(1, { '1': [[0, 'a']] }),
    ]);
    expect(c.valid).toBe(true);
  });
});
