import { describe, expect, it } from 'vitest';
import { resolveVersions } from '../../../workloads/conformance/by-version.js';
import { consumerAssignment, consumerSubscription } from '../../../protocols/kafka/consumer-protocol.js';
import { matchExpectation } from '../../../workloads/conformance/kafka/expectation-match.js';
import type { ScenarioScope } from '../../../workloads/conformance/kafka/scenario-scope.js';
import { interpolate, parseReference, resolveReference } from '../../../workloads/conformance/kafka/scenario-scope.js';
import { checkRelation, parseRelation } from '../../../workloads/conformance/relation-expression.js';

function scope(extra: Partial<ScenarioScope> = {}): ScenarioScope {
  return {
    names: new Map([
      ['t', 'kzc-x-t'],
      ['g', 'kzc-x-g'],
    ]),
    topicIds: new Map([['kzc-x-t', 'AAAAAAAAAAAAAAAAAAAAAQ']]),
    saved: new Map<string, unknown>([['p', { responses: [{ partitionResponses: [{ index: 0, errorCode: 0, baseOffset: 7n }, { index: 1, errorCode: 0, baseOffset: 9n }] }] }]]),
    prev: { memberId: 'm-1', generationId: 3 },
    broker: { nodeId: 1, host: '127.0.0.1', port: 9092 },
    now: 1_000_000n,
    clientTimestamps: new Set(),
    ...extra,
  };
}

const fetchResponse = {
  errorCode: 0,
  responses: [
    {
      topic: 'kzc-x-t',
      partitions: [
        { partitionIndex: 0, errorCode: 1, highWatermark: 8n, lastStableOffset: 8n, records: { batches: [{ baseOffset: 7n, records: [{ offset: 7n, key: Buffer.from('k'), value: Buffer.from([0, 255]) }] }] } },
      ],
    },
  ],
};

describe('references', () => {
  it('resolves names, topic ids, saved responses (depth first), $prev, $broker, $now, with arithmetic', () => {
    const s = scope();
    const r = (text: string) => resolveReference(parseReference(text)!, s);
    expect(r('$t')).toEqual({ value: 'kzc-x-t' });
    expect(r('$t.id')).toEqual({ value: 'AAAAAAAAAAAAAAAAAAAAAQ' });
    expect(r('$g.id')).toEqual({ unresolved: expect.stringMatching(/id of topic kzc-x-g is not known/) });
    expect(r('$p.baseOffset')).toEqual({ value: 7n });
    expect(r('$p.responses.0.partitionResponses.1.baseOffset + 1')).toEqual({ value: 10n });
    expect(r('$p.responses.0.partitionResponses.5.baseOffset')).toEqual({ unresolved: expect.stringMatching(/index 5 is past the end/) });
    expect(r('$prev.generationId - 1')).toEqual({ value: 2 });
    expect(r('$broker.port')).toEqual({ value: 9092 });
    expect(r('$now - 60000')).toEqual({ value: 940_000n });
    expect(r('$nope.x')).toEqual({ unresolved: expect.stringMatching(/no name or saved step called nope/) });
    expect(r('$prev.memberId + 1')).toEqual({ unresolved: expect.stringMatching(/cannot add/) });
    expect(parseReference('not a reference')).toBeUndefined();
    expect(interpolate('${t}-copy on ${broker.nodeId}', s)).toBe('kzc-x-t-copy on 1');
  });

  it('relations take + N and - N after the operand', () => {
    const resolve = (o: { kind: string; value?: bigint }) => (o.kind === 'literal' ? o.value! : 5n);
    expect(checkRelation(parseRelation('== $p.baseOffset + 1'), 6n, resolve)).toBeNull();
    expect(checkRelation(parseRelation('== $p.baseOffset+1'), 6n, resolve)).toBeNull();
    expect(checkRelation(parseRelation('> $p.x - 2 && < $p.x + 2'), 4n, resolve)).toBeNull();
    expect(checkRelation(parseRelation('== $p.baseOffset + 1'), 5n, resolve)).toBe('5 is not == $p.baseOffset + 1 (6)');
    expect(checkRelation(parseRelation('== -1'), -1n, resolve)).toBeNull();
    expect(() => parseRelation('== $a.b-c')).toThrow(/reference/);
  });
});

describe('matching a response against an expectation', () => {
  const check = (expected: unknown, actual: unknown = fetchResponse, s = scope()) => matchExpectation(expected, actual, s);

  it('passes on a partial match: names for error codes, numbers for int64s, references for names', () => {
    expect(check({ responses: [{ topic: '$t', partitions: [{ errorCode: 'OFFSET_OUT_OF_RANGE', highWatermark: 8 }] }] })).toEqual([]);
    expect(check({ errorCode: 'NONE' })).toEqual([]);
    expect(check({ errorCode: ['CORRUPT_MESSAGE', 'NONE'] })).toEqual([]);
    expect(check({ errorCode: 0 })).toEqual([]);
  });

  it('says where and what differs, error codes by name', () => {
    expect(check({ errorCode: 'UNKNOWN_TOPIC_OR_PARTITION', responses: [{ partitions: [{ highWatermark: 9, errorCode: ['NONE', 'CORRUPT_MESSAGE'] }] }] })).toEqual([
      'errorCode: expected UNKNOWN_TOPIC_OR_PARTITION, got NONE',
      'responses[0].partitions[0].highWatermark: expected 9, got "8"',
      'responses[0].partitions[0].errorCode: expected NONE or CORRUPT_MESSAGE, got OFFSET_OUT_OF_RANGE',
    ]);
    expect(check({ responses: [{ partitions: [{ leaderEpoch: 0 }] }] })).toEqual([expect.stringMatching(/^responses\[0\]\.partitions\[0\]\.leaderEpoch: the response has no such field/)]);
    expect(check({ responses: [] })).toEqual([expect.stringMatching(/^responses: expected 0 elements, got 1/)]);
  });

  it('evaluates relations against references, siblings and $this', () => {
    const p = (x: object) => ({ responses: [{ partitions: [x] }] });
    expect(check(p({ highWatermark: '== $p.baseOffset + 1' }))).toEqual([]);
    expect(check(p({ highWatermark: '>= lastStableOffset && <= lastStableOffset' }))).toEqual([]);
    expect(check(p({ highWatermark: '> $p.baseOffset + 1' }))).toEqual(['responses[0].partitions[0].highWatermark: 8 is not > $p.baseOffset + 1 (8)']);
    expect(check(p({ highWatermark: '== nope' }))).toEqual([expect.stringMatching(/cannot evaluate '== nope': no numeric field nope/)]);
    expect(check({ memberId: '$this.leader', generationId: '== $prev.generationId' }, { memberId: 'a', leader: 'a', generationId: 3 })).toEqual([]);
    expect(check({ memberId: '$this.leader' }, { memberId: 'a', leader: 'b' })).toEqual(['memberId: expected "b" ($this.leader), got "a"']);
  });

  it('compares bytes with text, hex and consumer-protocol payloads', () => {
    const records = (r: object) => ({ responses: [{ partitions: [{ records: { batches: [{ records: [r] }] } }] }] });
    expect(check(records({ key: 'k', value: { hex: '00ff' } }))).toEqual([]);
    expect(check(records({ key: 'x' }))).toEqual([expect.stringMatching(/key: expected "x", got "k"/)]);
    expect(check(records({ value: { hex: '00fe' } }))).toEqual([expect.stringMatching(/value: expected hex 00fe, got "hex:00ff"/)]);
    const member = { metadata: consumerSubscription(['kzc-x-t']), assignment: consumerAssignment([{ topic: 'kzc-x-t', partitions: [0, 2] }]) };
    expect(check({ metadata: { consumerSubscription: { topics: ['$t'] } }, assignment: { consumerAssignment: { topics: [{ topic: '$t', partitions: [0, 2] }] } } }, member)).toEqual([]);
    expect(check({ assignment: { consumerAssignment: { topics: [{ topic: '$t', partitions: [0] }] } } }, member)).toEqual([expect.stringMatching(/^assignment: expected the assignment/)]);
  });

  it('has forms for lists: includes, excludes, anyOrder, length; and oneOf, not, match', () => {
    const list = { items: [{ name: 'a', n: 1 }, { name: 'b', n: 2 }, { name: 'c', n: 3 }] };
    expect(check({ items: { includes: [{ name: 'c' }, { name: 'a' }], length: 3 } }, list)).toEqual([]);
    expect(check({ items: { anyOrder: [{ name: 'c' }, { name: 'b' }, { name: 'a', n: '< 2' }] } }, list)).toEqual([]);
    expect(check({ items: { excludes: [{ name: 'z' }] } }, list)).toEqual([]);
    expect(check({ items: { excludes: [{ n: '> 2' }] } }, list)).toEqual([expect.stringMatching(/expected no element like \{"n":"> 2"\}, found \{"name":"c","n":3\}/)]);
    expect(check({ items: { anyOrder: [{ name: 'a' }, { name: 'b' }] } }, list)).toEqual([expect.stringMatching(/expected 2 elements in any order, got 3/)]);
    // Both expected elements fit only the same actual one: no one-to-one pairing.
    expect(check({ items: { includes: [{ n: '>= 3' }, { name: 'c' }] } }, list)).toEqual([expect.stringMatching(/includes: no one-to-one pairing exists/)]);
    expect(check({ items: { length: '>= 4' } }, list)).toEqual(['items.length: 3 is not >= 4 (4)']);
    expect(check({ items: [{ name: { oneOf: ['x', 'a'] } }, { name: { not: 'a' } }, { name: { match: '^[c-z]$' } }] }, list)).toEqual([]);
    expect(check({ items: [{ name: { oneOf: ['x', 'y'] } }, {}, {}] }, list)).toEqual(['items[0].name: matches none of 2 alternatives; got "a"']);
    expect(check({ items: [{ name: { not: 'a' } }, {}, {}] }, list)).toEqual(['items[0].name: expected anything but "a", got "a"']);
    expect(check({ items: [{ name: { match: '^[b-z]$' } }, {}, {}] }, list)).toEqual(['items[0].name: expected to match /^[b-z]$/, got "a"']);
  });

  it('resolves byVersion tables for the target version, and refuses an uncovered version', () => {
    const expectation = { errorCode: { byVersion: { '<4': 'NONE', '>=4': 'UNSUPPORTED_VERSION' } }, list: [{ byVersion: { '3.9.x': 1, '>=4': 2 } }] };
    expect(resolveVersions(expectation, '3.9.2')).toEqual({ errorCode: 'NONE', list: [1] });
    expect(resolveVersions(expectation, '4.3.1')).toEqual({ errorCode: 'UNSUPPORTED_VERSION', list: [2] });
    expect(() => resolveVersions(expectation, '3.8.0')).toThrow(/no byVersion entry matches version 3\.8\.0/);
  });
});
