/** Raised when a client call outlives its deadline (kafkajs can wait indefinitely on a broker that went away). */
export class StepTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`${what} did not finish within ${ms} ms`);
  }
}

/**
 * `work` or a StepTimeoutError after `ms`. The work is not cancelled: callers throw away the
 * client it runs on, so whatever it still does cannot be mistaken for a later step's.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StepTimeoutError(what, ms)), ms);
    timer.unref();
  });
  work.catch(() => {}); // a late failure of abandoned work is not an unhandled rejection
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
