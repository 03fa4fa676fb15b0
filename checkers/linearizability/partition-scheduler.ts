import { PartitionRun, stoppedResult, type PartitionCheckRequest } from './check-partition.js';
import type { PartitionCheckResult } from './partition-result.js';

/** Search steps a partition runs before the next one gets its turn. */
const SLICE_STEPS = 20_000;

export interface ScheduleOptions {
  /** End the check at the first invalid partition; undecided ones answer unknown (stopped). */
  stopOnFirstViolation: boolean;
  /** Called as each partition is decided. */
  onResult?: (index: number, result: PartitionCheckResult) => void;
}

/**
 * Checks partitions on this thread, round robin in slices of search steps, so a quick
 * violation in one key is found without first exhausting a hard key (Porcupine gets the same
 * from one goroutine per partition). Slices are counted in steps, so the order of answers is
 * deterministic.
 */
export function checkPartitionsRoundRobin(requests: readonly PartitionCheckRequest[], opts: ScheduleOptions): PartitionCheckResult[] {
  const results: (PartitionCheckResult | undefined)[] = new Array(requests.length);
  const runs = new Map<number, PartitionRun>();
  let pending = requests.map((_, i) => i);
  let violated = false;
  while (pending.length > 0 && !violated) {
    const still: number[] = [];
    for (const i of pending) {
      let run = runs.get(i);
      if (!run) {
        run = new PartitionRun(requests[i]!);
        runs.set(i, run);
      }
      const result = run.advance(SLICE_STEPS);
      if (!result) {
        still.push(i);
        continue;
      }
      results[i] = result;
      runs.delete(i); // let its cache go
      opts.onResult?.(i, result);
      if (result.verdict === 'invalid' && opts.stopOnFirstViolation) {
        violated = true;
        break;
      }
    }
    pending = still;
  }
  return requests.map((req, i) => {
    if (results[i]) return results[i];
    const stopped = runs.get(i)?.stopped() ?? stoppedResult(req);
    opts.onResult?.(i, stopped);
    return stopped;
  });
}
