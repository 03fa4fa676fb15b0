import type { Logger } from '../../../common/logger.js';

/** Where a coordinator's background work reports a failure. */
export interface BackgroundFailures {
  log: Logger;
  /** The broker's disk-failure handler (BrokerState.storageFailed): true when it took the error. */
  storageFailed?: (err: unknown) => boolean;
}

/**
 * Runs a coordinator's background work (a timer, a scheduler tick) so that a failure never
 * escapes into the event loop: a disk error halts the broker as any failed log write does,
 * anything else (a bug) is logged.
 */
export function runGuarded(what: string, work: () => void, failures: BackgroundFailures): void {
  try {
    work();
  } catch (err) {
    if (failures.storageFailed?.(err)) return;
    failures.log.error(`${what} failed: ${(err as Error).stack ?? err}`);
  }
}

/** setTimeout of guarded work that does not keep the process alive. */
export function guardedTimeout(what: string, ms: number, work: () => void, failures: BackgroundFailures): NodeJS.Timeout {
  const t = setTimeout(() => runGuarded(what, work, failures), ms);
  t.unref();
  return t;
}
