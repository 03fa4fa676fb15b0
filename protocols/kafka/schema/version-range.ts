import { KafkaCodecError } from '../codec-error.js';

/**
 * Kafka's version-range notation from the message specs: "3+" (3 and up), "1-4"
 * (inclusive), "2" (exactly), "none" (never).
 */
export interface VersionRange {
  readonly min: number;
  /** Inclusive; Infinity for "N+". */
  readonly max: number;
}

const NONE: VersionRange = { min: 1, max: 0 };
const cache = new Map<string, VersionRange>();

export function parseVersionRange(spec: string): VersionRange {
  const hit = cache.get(spec);
  if (hit) return hit;
  let range: VersionRange;
  let m: RegExpExecArray | null;
  if (spec === 'none') range = NONE;
  else if ((m = /^(\d+)\+$/.exec(spec))) range = { min: Number(m[1]), max: Infinity };
  else if ((m = /^(\d+)-(\d+)$/.exec(spec))) range = { min: Number(m[1]), max: Number(m[2]) };
  else if ((m = /^(\d+)$/.exec(spec))) range = { min: Number(m[1]), max: Number(m[1]) };
  else throw new KafkaCodecError(`invalid version range ${JSON.stringify(spec)} (expected "N+", "N-M", "N" or "none")`);
  cache.set(spec, range);
  return range;
}

export function versionInRange(spec: string | undefined, version: number): boolean {
  if (spec === undefined) return false;
  const r = parseVersionRange(spec);
  return version >= r.min && version <= r.max;
}
