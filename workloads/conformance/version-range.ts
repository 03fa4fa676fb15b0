import { UsageError } from '../../common/errors.js';

/**
 * Version ranges for gating scenarios and expectations: `>=3.9`, `<3.9.3`, `3.8.x`, `3.8`,
 * `=3.8.0`, space-separated comparators all of which must hold, alternatives joined by `||`
 * (`>=3.8.5 <3.9 || >=3.9.3`). Missing components count as 0 for comparisons (`>=3.9` is
 * `>=3.9.0`); `3.8` and `3.8.x` mean every 3.8 patch.
 */
export interface VersionRange {
  readonly text: string;
  matches(version: string): boolean;
}

type Comparator = (v: number[]) => boolean;

const comparatorPattern = /^(>=|<=|>|<|=)?(\d+(?:\.(?:\d+|x|\*)){0,2})$/;

export function parseVersionRange(text: string): VersionRange {
  const alternatives = text.split('||').map((alt) => {
    const parts = alt.trim().split(/\s+/).filter((p) => p.length > 0);
    if (parts.length === 0) throw invalid(text, 'an empty alternative');
    return parts.map((p) => parseComparator(text, p));
  });
  return {
    text,
    matches(version) {
      const v = versionNumbers(version);
      return alternatives.some((all) => all.every((c) => c(v)));
    },
  };
}

function parseComparator(range: string, part: string): Comparator {
  const m = comparatorPattern.exec(part);
  if (!m) throw invalid(range, `'${part}'`);
  const op = m[1] ?? '=';
  const pieces = m[2]!.split('.');
  const wildcard = pieces.findIndex((p) => p === 'x' || p === '*');
  const fixed = (wildcard === -1 ? pieces : pieces.slice(0, wildcard)).map(Number);
  if (op === '=' && (wildcard !== -1 || pieces.length < 3)) {
    // A partial version is a prefix: 3.8 and 3.8.x mean every 3.8.y.
    return (v) => fixed.every((n, i) => (v[i] ?? 0) === n);
  }
  if (wildcard !== -1) throw invalid(range, `'${part}' (a wildcard only works without an operator)`);
  return (v) => {
    const c = compareNumbers(v, fixed);
    switch (op) {
      case '>=': return c >= 0;
      case '<=': return c <= 0;
      case '>': return c > 0;
      case '<': return c < 0;
      default: return c === 0;
    }
  };
}

/** `3.9.5-abc` → [3, 9, 5]; anything after the numeric core is ignored. */
export function versionNumbers(version: string): number[] {
  const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(version.trim());
  if (!m) throw new UsageError('KZ_VERSION_INVALID', `'${version}' is not a version number (expected e.g. 3.9.5)`);
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}

function compareNumbers(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function invalid(range: string, what: string): UsageError {
  return new UsageError('KZ_VERSION_RANGE_INVALID', `version range '${range}' has ${what}; write e.g. '>=3.9', '<3.9.3', '3.8.x' or '>=3.8.5 <3.9 || >=3.9.3'`);
}
