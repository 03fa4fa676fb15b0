import { UsageError } from '../../common/errors.js';
import type { CheckOptions } from '../checker.js';
import { validateModels } from './consistency-models.js';

/** Options of the Elle checkers, with Elle's defaults. */
export interface ElleOptions {
  /** Models the history must satisfy (default strict-serializable); `[]` checks only `anomalies`. */
  consistencyModels: string[];
  /** Specific anomalies to forbid in addition (e.g. `G1`, `G2-item`). */
  anomalies: string[];
  /** Per strongly connected component; Elle's default is 1000 ms. */
  cycleSearchTimeoutMs: number;
  /** The whole check. */
  timeLimitMs: number;
  /** Cases kept per anomaly type (all are counted). */
  maxAnomaliesPerType: number;
  /** rw-register: assume writes follow reads within a transaction. */
  wfrKeys: boolean;
  /** rw-register: assume each key is sequentially consistent (process order gives version order). */
  sequentialKeys: boolean;
  /** rw-register: assume each key is linearizable (realtime order gives version order). */
  linearizableKeys: boolean;
}

function stringList(name: string, v: unknown, fallback: string[]): string[] {
  if (v === undefined) return fallback;
  if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v as string[];
  throw new UsageError('KZ_ELLE_OPTION', `option ${name} must be a list of names, got ${JSON.stringify(v)}`);
}

function positive(name: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v === 'number' && v > 0) return v;
  throw new UsageError('KZ_ELLE_OPTION', `option ${name} must be a positive number, got ${JSON.stringify(v)}`);
}

function flag(name: string, v: unknown): boolean {
  if (v === undefined) return false;
  if (typeof v === 'boolean') return v;
  throw new UsageError('KZ_ELLE_OPTION', `option ${name} must be true or false, got ${JSON.stringify(v)}`);
}

export function elleOptions(opts: CheckOptions = {}, defaultModels: string[] = ['strict-serializable']): ElleOptions {
  const consistencyModels = stringList('consistencyModels', opts.consistencyModels, defaultModels);
  validateModels(consistencyModels);
  return {
    consistencyModels,
    anomalies: stringList('anomalies', opts.anomalies, []),
    cycleSearchTimeoutMs: positive('cycleSearchTimeoutMs', opts.cycleSearchTimeoutMs, 1000),
    timeLimitMs: positive('timeLimitMs', opts.timeLimitMs, Infinity),
    maxAnomaliesPerType: positive('maxAnomaliesPerType', opts.maxAnomaliesPerType, 32),
    wfrKeys: flag('wfrKeys', opts.wfrKeys),
    sequentialKeys: flag('sequentialKeys', opts.sequentialKeys),
    linearizableKeys: flag('linearizableKeys', opts.linearizableKeys),
  };
}
