import { describe, expect, it } from 'vitest';
import { childNameOf, parentOf, pathProblem, topNamespace } from '../../../../servers/zookeeper/tree/path-validation.js';
import { sequenceSuffix } from '../../../../servers/zookeeper/processing/prep-request.js';

describe('znode path rules (PathUtils.validatePath)', () => {
  it.each(['/', '/a', '/a/b', '/a.b', '/..a', '/a..', '/.a', '/a/b-0000000001', '/ü', '/\uf900'])('accepts %j', (p) => {
    expect(pathProblem(p)).toBeNull();
  });

  it.each([
    ['', 'Path length must be > 0'],
    ['a', 'Path must start with / character'],
    ['/a/', 'Path must not end with / character'],
    ['/a//b', 'empty node name specified @3'],
    ['/a/./b', 'relative paths not allowed @3'],
    ['/a/../b', 'relative paths not allowed @4'],
    ['/.', 'relative paths not allowed @1'],
    ['/a\u0000b', 'null character not allowed @2'],
    ['/a\u0001', 'invalid character @2'],
    ['/a\u007f', 'invalid character @2'],
    ['/a\u009f', 'invalid character @2'],
    ['/a\ud83d\ude00', 'invalid character @2'],
    ['/a\ufff0', 'invalid character @2'],
  ])('rejects %j: %s', (p, why) => {
    expect(pathProblem(p)).toBe(why);
  });

  it('splits paths the way Apache does, with the root as its own parent', () => {
    expect(parentOf('/a')).toBe('/');
    expect(parentOf('/a/b/c')).toBe('/a/b');
    expect(parentOf('/')).toBe('/');
    expect(childNameOf('/a/b')).toBe('b');
    expect(topNamespace('/a/b')).toBe('a');
    expect(topNamespace('/')).toBeNull();
  });

  it('formats sequence suffixes as Java %010d, sign inside the width', () => {
    expect(sequenceSuffix(0)).toBe('0000000000');
    expect(sequenceSuffix(42)).toBe('0000000042');
    expect(sequenceSuffix(2147483647)).toBe('2147483647');
    expect(sequenceSuffix(-5)).toBe('-000000005');
    expect(sequenceSuffix(-2147483648)).toBe('-2147483648');
  });
});
