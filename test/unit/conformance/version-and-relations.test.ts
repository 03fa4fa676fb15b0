import { describe, expect, it } from 'vitest';
import { nameFilter } from '../../../workloads/conformance/name-filter.js';
import { checkRelation, parseRelation } from '../../../workloads/conformance/relation-expression.js';
import { parseVersionRange } from '../../../workloads/conformance/version-range.js';

describe('version ranges', () => {
  const cases: [string, string, boolean][] = [
    ['>=3.9', '3.9.0', true],
    ['>=3.9', '3.8.4', false],
    ['<3.9', '3.8.0', true],
    ['<3.9', '3.9.5', false],
    ['3.8.x', '3.8.4', true],
    ['3.8', '3.9.0', false],
    ['=3.8.0', '3.8.0', true],
    ['>=3.8.5 <3.9 || >=3.9.3', '3.8.0', false],
    ['>=3.8.5 <3.9 || >=3.9.3', '3.8.6', true],
    ['>=3.8.5 <3.9 || >=3.9.3', '3.9.2', false],
    ['>=3.8.5 <3.9 || >=3.9.3', '3.9.5', true],
    ['>3.9.4', '3.9.5-abc', true],
  ];
  it.each(cases)('%s matches %s: %s', (range, version, expected) => {
    expect(parseVersionRange(range).matches(version)).toBe(expected);
  });
  it('rejects nonsense with a hint', () => {
    expect(() => parseVersionRange('>= banana')).toThrow(/version range/);
    expect(() => parseVersionRange('>=3.x')).toThrow(/wildcard/);
  });
});

describe('relations', () => {
  const fields: Record<string, bigint> = { czxid: 5n, mzxid: 9n };
  const resolve = (o: ReturnType<typeof parseRelation>['clauses'][number]['operand']) =>
    o.kind === 'literal' ? o.value : o.kind === 'field' ? (fields[o.name] ?? { unresolved: `no ${o.name}` }) : o.name === 'zxid' ? 9n : { unresolved: 'none' };

  it('holds and fails with both values in the message', () => {
    expect(checkRelation(parseRelation('> czxid && == $zxid'), 9n, resolve)).toBeNull();
    expect(checkRelation(parseRelation('> czxid'), 5n, resolve)).toBe('5 is not > czxid (5)');
    expect(checkRelation(parseRelation('!= 0 && <= mzxid'), 10n, resolve)).toBe('10 is not <= mzxid (9)');
  });
  it('says when an operand cannot be resolved', () => {
    expect(checkRelation(parseRelation('== pzxid'), 1n, resolve)).toMatch(/cannot evaluate.*no pzxid/);
  });
  it('rejects malformed relations', () => {
    expect(() => parseRelation('czxid')).toThrow(/not a comparison/);
    expect(() => parseRelation('== $a.b-c')).toThrow(/reference/);
  });
});

describe('--filter globs', () => {
  it('matches scenario names', () => {
    const f = nameFilter('watches/*,multi/multi-read');
    expect(f('watches/child-watch')).toBe(true);
    expect(f('persistent-watches/recursive-watch')).toBe(false);
    expect(f('multi/multi-read')).toBe(true);
    expect(f('multi/empty-multi')).toBe(false);
    expect(nameFilter('*watch*/*')('watches/x')).toBe(true);
    expect(nameFilter('*watch*')('watches/x')).toBe(false);
    expect(nameFilter('**')('a/b')).toBe(true);
    expect(nameFilter(undefined)('anything')).toBe(true);
  });
});
