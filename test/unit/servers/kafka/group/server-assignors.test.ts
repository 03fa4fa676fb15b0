import { describe, expect, it } from 'vitest';
import { type AssignorMember, rangeAssignor, uniformAssignor } from '../../../../../servers/kafka/group/server-assignors.js';
import { type Assignment, assignmentOf, assignmentSize } from '../../../../../servers/kafka/group/topic-partition-assignment.js';

const member = (memberId: string, topics: string[], currentTarget: Assignment = new Map()): AssignorMember => ({ memberId, instanceId: null, subscribedTopicIds: new Set(topics), currentTarget });
const list = (a: Assignment | undefined) => [...(a ?? new Map()).entries()].map(([t, ps]) => `${t}:${[...ps].sort((x, y) => x - y).join(',')}`).sort();

/** Every partition of the topics is assigned exactly once. */
function expectComplete(result: Map<string, Assignment>, topics: Map<string, number>): void {
  const seen = new Map<string, number>();
  for (const a of result.values()) for (const [t, ps] of a) for (const p of ps) seen.set(`${t}:${p}`, (seen.get(`${t}:${p}`) ?? 0) + 1);
  const expected: string[] = [];
  for (const [t, n] of topics) for (let p = 0; p < n; p++) expected.push(`${t}:${p}`);
  expect([...seen.keys()].sort()).toEqual(expected.sort());
  expect([...seen.values()].every((n) => n === 1)).toBe(true);
}

describe('uniform assignor', () => {
  const topics = new Map([
    ['A', 4],
    ['B', 3],
  ]);

  it('gives a lone member every partition of its topics', () => {
    const r = uniformAssignor.assign([member('m1', ['A', 'B'])], topics);
    expect(list(r.get('m1'))).toEqual(['A:0,1,2,3', 'B:0,1,2']);
  });

  it('balances a shared subscription to within one partition, every partition once', () => {
    const members = [member('m1', ['A', 'B']), member('m2', ['A', 'B']), member('m3', ['A', 'B'])];
    const r = uniformAssignor.assign(members, topics);
    expectComplete(r, topics);
    expect(members.map((m) => assignmentSize(r.get(m.memberId)!)).sort()).toEqual([2, 2, 3]);
  });

  it('is sticky: a joining member takes only what balance requires, the others keep the rest', () => {
    const before = uniformAssignor.assign([member('m1', ['A'])], new Map([['A', 4]]));
    const after = uniformAssignor.assign([member('m1', ['A'], before.get('m1')), member('m2', ['A'])], new Map([['A', 4]]));
    expect(assignmentSize(after.get('m1')!)).toBe(2);
    expect(assignmentSize(after.get('m2')!)).toBe(2);
    for (const p of after.get('m1')!.get('A')!) expect(before.get('m1')!.get('A')!.has(p)).toBe(true);
    // A member leaving: the survivor keeps its partitions and gains the others.
    const alone = uniformAssignor.assign([member('m2', ['A'], after.get('m2'))], new Map([['A', 4]]));
    expect(list(alone.get('m2'))).toEqual(['A:0,1,2,3']);
  });

  it('with 5 partitions and 2 members keeps the extra partition where it was', () => {
    const current = assignmentOf([{ topicId: 'A', partitions: [0, 1, 2] }]);
    const other = assignmentOf([{ topicId: 'A', partitions: [3, 4] }]);
    const r = uniformAssignor.assign([member('m1', ['A'], current), member('m2', ['A'], other)], new Map([['A', 5]]));
    expect(list(r.get('m1'))).toEqual(['A:0,1,2']);
    expect(list(r.get('m2'))).toEqual(['A:3,4']);
  });

  it('drops partitions of topics no longer subscribed or no longer existing', () => {
    const current = assignmentOf([{ topicId: 'A', partitions: [0, 1, 2, 3] }, { topicId: 'gone', partitions: [0] }]);
    const r = uniformAssignor.assign([member('m1', ['A'], current)], new Map([['A', 2]]));
    expect(list(r.get('m1'))).toEqual(['A:0,1']);
  });

  it('assigns each topic only among its subscribers (heterogeneous subscriptions)', () => {
    const r = uniformAssignor.assign([member('m1', ['A']), member('m2', ['A', 'B']), member('m3', ['B'])], topics);
    expectComplete(r, topics);
    for (const [id, a] of r) {
      if (id === 'm1') expect(a.has('B')).toBe(false);
      if (id === 'm3') expect(a.has('A')).toBe(false);
    }
    expect(Math.abs(assignmentSize(r.get('m1')!) - assignmentSize(r.get('m3')!))).toBeLessThanOrEqual(2);
  });

  it('is deterministic whatever the order of the members', () => {
    const a = uniformAssignor.assign([member('m1', ['A', 'B']), member('m2', ['A', 'B'])], topics);
    const b = uniformAssignor.assign([member('m2', ['A', 'B']), member('m1', ['A', 'B'])], topics);
    expect(list(a.get('m1'))).toEqual(list(b.get('m1')));
    expect(list(a.get('m2'))).toEqual(list(b.get('m2')));
  });

  it('gives members without topics an empty assignment', () => {
    const r = uniformAssignor.assign([member('m1', [])], topics);
    expect(r.get('m1')!.size).toBe(0);
  });
});

describe('range assignor', () => {
  it('gives each subscriber of a topic a contiguous range, the first ones one more', () => {
    const r = rangeAssignor.assign([member('m2', ['A', 'B']), member('m1', ['A', 'B'])], new Map([['A', 5], ['B', 2]]));
    expect(list(r.get('m1'))).toEqual(['A:0,1,2', 'B:0']);
    expect(list(r.get('m2'))).toEqual(['A:3,4', 'B:1']);
  });

  it('assigns a topic among its subscribers only; more members than partitions leaves some empty', () => {
    const r = rangeAssignor.assign([member('m1', ['A']), member('m2', ['A']), member('m3', ['A', 'B'])], new Map([['A', 2], ['B', 1]]));
    expect(list(r.get('m1'))).toEqual(['A:0']);
    expect(list(r.get('m2'))).toEqual(['A:1']);
    expect(list(r.get('m3'))).toEqual(['B:0']);
  });
});
