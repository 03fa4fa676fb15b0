import { ErrorCode } from '../../protocols/zookeeper/index.js';
import { keeperErrorCode } from './zk-hotpath-sessions.js';

/** A request that got no answer within the workload's op timeout. */
export class OpTimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`no reply within ${ms} ms`);
    this.name = 'OpTimeoutError';
  }
}

/** Resolves like `promise`, or rejects with OpTimeoutError after `ms` (the promise is left to settle on its own). */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new OpTimeoutError(ms)), ms);
  });
  promise.catch(() => {}); // a late rejection after the timeout is expected and not an error
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * How a failed ZooKeeper write ends in the history: `fail` when the server answered with an
 * error or the request was never sent (SESSIONEXPIRED fails only requests still waiting to be
 * sent: those in flight got CONNECTIONLOSS first), `info` when it may have been applied
 * (timeout, connection loss).
 */
export function writeFailureType(err: unknown): 'fail' | 'info' {
  if (err instanceof OpTimeoutError) return 'info';
  const code = keeperErrorCode(err);
  if (code === undefined) return 'info';
  if (code === ErrorCode.CONNECTIONLOSS || code === ErrorCode.OPERATIONTIMEOUT || code === ErrorCode.SESSIONMOVED) return 'info';
  return 'fail';
}

/** A short, stable error text for the history: `BADVERSION`, `timeout`, `CONNECTIONLOSS`. */
export function errorLabel(err: unknown): string {
  if (err instanceof OpTimeoutError) return 'timeout';
  const name = (err as { errorName?: unknown })?.errorName;
  if (typeof name === 'string') return name;
  return err instanceof Error ? err.message : String(err);
}
