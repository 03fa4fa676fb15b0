import { parseVersionRange } from './version-range.js';

/**
 * Replaces every `{byVersion: {range: value}}` inside an expectation with the value for
 * `version` (the first range that matches). A version no range covers is an error: a
 * scenario writes every case down rather than silently expecting nothing.
 */
export function resolveVersions(value: unknown, version: string): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveVersions(v, version));
  if (typeof value !== 'object' || value === null || Buffer.isBuffer(value)) return value;
  const entries = Object.entries(value);
  if (entries.length === 1 && entries[0]![0] === 'byVersion') {
    const table = entries[0]![1] as Record<string, unknown>;
    for (const [range, v] of Object.entries(table)) if (parseVersionRange(range).matches(version)) return resolveVersions(v, version);
    throw new Error(`no byVersion entry matches version ${version} (ranges: ${Object.keys(table).join(', ')})`);
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, resolveVersions(v, version)]));
}
