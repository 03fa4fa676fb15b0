/** An op that got no answer within the workload's op timeout: its outcome is unknown. */
export class OpTimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'OpTimeoutError';
  }
}

/**
 * Resolves like `promise`, or rejects with OpTimeoutError after `ms`. The promise is left to
 * settle on its own (a late rejection is expected and swallowed): the Jepsen workloads record
 * the op as indeterminate and abandon the client it ran on.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new OpTimeoutError(ms)), ms);
  });
  promise.catch(() => {});
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
