import { seededRandom } from './seeded-random.js';

/**
 * How intended start times are spaced in an open-loop run.
 * - `uniform`: exactly 1/rate apart (wrk2, k6 constant-arrival-rate);
 * - `poisson`: exponentially distributed gaps with mean 1/rate (independent arrivals, as
 *   many users acting on their own produce), from a seeded PRNG so runs repeat exactly.
 */
export type ArrivalProcess = 'uniform' | 'poisson';

export interface ArrivalScheduleOptions {
  /** Target rate, operations per second (> 0). */
  rate: number;
  arrival: ArrivalProcess;
  /** Seed for `poisson` (default 1). */
  seed?: number;
}

/**
 * Intended start offsets in nanoseconds from the schedule origin, in increasing order, never
 * ending (the scheduler stops at its deadline). The i-th uniform arrival is computed from i
 * rather than accumulated, so float error does not drift over long runs.
 */
export function* arrivalOffsets(opts: ArrivalScheduleOptions): Generator<bigint, never, void> {
  if (!(opts.rate > 0) || !Number.isFinite(opts.rate)) throw new RangeError(`rate must be a positive number, got ${opts.rate}`);
  const meanGapNs = 1e9 / opts.rate;
  if (opts.arrival === 'uniform') {
    for (let i = 0; ; i++) yield BigInt(Math.round(i * meanGapNs));
  }
  const random = seededRandom(opts.seed ?? 1);
  let offset = 0;
  for (;;) {
    yield BigInt(Math.round(offset));
    // Inverse transform sampling; 1 - u is in (0, 1] so the log is finite.
    offset += -Math.log(1 - random()) * meanGapNs;
  }
}
