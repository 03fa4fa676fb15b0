import type { Clock } from './clock.js';

interface Sleeper {
  deadline: bigint;
  seq: number;
  wake: () => void;
}

/**
 * Simulated time for deterministic tests: time stands still while any code can still run,
 * and jumps to the earliest pending deadline once the process is otherwise idle (the
 * microtask queue has drained and a macrotask turn comes round). Code under test must wait
 * only on this clock (or on promises it controls), never on real I/O, for results to be
 * reproducible.
 */
export class VirtualClock implements Clock {
  private current: bigint;
  private sleepers: Sleeper[] = [];
  private seq = 0;
  private tickScheduled = false;

  constructor(startNs = 0n) {
    this.current = startNs;
  }

  now(): bigint {
    return this.current;
  }

  sleepUntil(deadline: bigint, signal?: AbortSignal): Promise<void> {
    if (deadline <= this.current || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const sleeper: Sleeper = {
        deadline,
        seq: this.seq++,
        wake: () => {
          signal?.removeEventListener('abort', cancel);
          resolve();
        },
      };
      const cancel = (): void => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        resolve();
      };
      signal?.addEventListener('abort', cancel, { once: true });
      this.sleepers.push(sleeper);
      this.scheduleTick();
    });
  }

  /** Sleeps for `ns` of virtual time. */
  sleep(ns: bigint): Promise<void> {
    return this.sleepUntil(this.current + ns);
  }

  /** How many waiters are parked on the clock. */
  get pending(): number {
    return this.sleepers.length;
  }

  private scheduleTick(): void {
    if (this.tickScheduled) return;
    this.tickScheduled = true;
    // setImmediate runs only after every queued microtask: everything that could still make
    // progress without time passing has done so.
    setImmediate(() => {
      this.tickScheduled = false;
      this.advanceToNextDeadline();
    });
  }

  private advanceToNextDeadline(): void {
    if (this.sleepers.length === 0) return;
    let next = this.sleepers[0]!.deadline;
    for (const s of this.sleepers) if (s.deadline < next) next = s.deadline;
    if (next > this.current) this.current = next;
    const due = this.sleepers.filter((s) => s.deadline <= this.current).sort((a, b) => a.seq - b.seq);
    this.sleepers = this.sleepers.filter((s) => s.deadline > this.current);
    for (const s of due) s.wake();
    if (this.sleepers.length > 0) this.scheduleTick();
  }
}
