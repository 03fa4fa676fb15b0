import { ErrorCode } from '../../protocols/zookeeper/index.js';
import { keeperErrorCode } from './zk-hotpath-sessions.js';
import { OpTimeoutError } from '../nemesis/op-timeout.js';

export { OpTimeoutError, withTimeout } from '../nemesis/op-timeout.js';

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
