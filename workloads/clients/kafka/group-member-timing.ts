import { KafkaConnectionError } from './client-errors.js';

/**
 * `promise`, or a KafkaConnectionError after `timeoutMs` (then `onTimeout` runs, e.g. to
 * close a connection that stopped answering). The timer is always cleared.
 */
export async function bounded<T>(promise: Promise<T>, timeoutMs: number, what: string, onTimeout?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // Rejected first, so the race reports the timeout rather than what `onTimeout` causes.
      reject(new KafkaConnectionError(`${what}: no answer within ${timeoutMs} ms`));
      onTimeout?.();
    }, timeoutMs);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A sleep that `wake()` cuts short, so a background loop waits between heartbeats without
 * polling and still reacts at once to a rejoin request or to close. A wake that comes while
 * the loop is not sleeping is kept for its next sleep.
 */
export class WakeableSleep {
  private timer: NodeJS.Timeout | undefined;
  private resolve: (() => void) | undefined;
  private woken = false;

  sleep(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.resolve = resolve;
      this.timer = setTimeout(() => this.settle(), ms);
    });
  }

  wake(): void {
    if (this.resolve) this.settle();
    else this.woken = true;
  }

  private settle(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const resolve = this.resolve;
    this.resolve = undefined;
    this.woken = false;
    resolve?.();
  }
}
