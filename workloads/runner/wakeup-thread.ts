import { Worker } from 'node:worker_threads';

/**
 * A helper thread that wakes the main thread at a precise instant without spinning.
 *
 * setTimeout has millisecond granularity (an op meant for t may leave 1–2 ms late), and
 * spinning on setImmediate for the last stretch costs a whole core while arrivals are closer
 * than a millisecond apart. This thread instead blocks in Atomics.wait (a futex, microsecond
 * resolution, no CPU while waiting) until the requested deadline and then posts a message,
 * which the main event loop handles like any other I/O: precise starts for the price of two
 * messages per wake.
 *
 * Protocol over a SharedArrayBuffer: the main thread stores the earliest deadline (hrtime ns,
 * 0 = none) and bumps a generation counter; the thread sleeps until that deadline or until the
 * generation changes, posts the generation it fired for, and waits for the next arming. A
 * message for an older generation is ignored.
 */
const threadSource = `
const { parentPort, workerData } = require('node:worker_threads');
const gen = new Int32Array(workerData, 0, 1);
const deadline = new BigInt64Array(workerData, 8, 1);
for (;;) {
  const g = Atomics.load(gen, 0);
  const due = Atomics.load(deadline, 0);
  if (due === 0n) { Atomics.wait(gen, 0, g); continue; }
  const remainingMs = Number(due - process.hrtime.bigint()) / 1e6;
  if (remainingMs > 0) { Atomics.wait(gen, 0, g, remainingMs); continue; }
  parentPort.postMessage(g);
  // Fired: sleep until the main thread re-arms (it always does after a wake).
  Atomics.wait(gen, 0, g);
}
`;

interface Sleeper {
  deadline: bigint;
  resolve: () => void;
}

export class WakeupThread {
  private readonly shared = new SharedArrayBuffer(16);
  private readonly gen = new Int32Array(this.shared, 0, 1);
  private readonly deadline = new BigInt64Array(this.shared, 8, 1);
  private readonly worker: Worker;
  /** Waiting callers, earliest deadline first; the thread is armed for the first. */
  private sleepers: Sleeper[] = [];
  private armedGen = 0;
  /** Whether the thread keeps the process alive: only while somebody waits on it. */
  private referenced = false;
  private failure: unknown;

  constructor() {
    // execArgv [] so the eval'd CommonJS source is not read as a module when the parent was
    // started with --input-type=module or a loader.
    this.worker = new Worker(threadSource, { eval: true, workerData: this.shared, execArgv: [] });
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('message', (g: number) => {
      if (g === this.armedGen) this.wakeDue();
    });
    // After the listener: attaching one refs the worker's port again.
    this.worker.unref();
  }

  /** Resolves at or after `deadlineNs` (process.hrtime.bigint origin), or when `signal` aborts. */
  wakeAt(deadlineNs: bigint, signal?: AbortSignal): Promise<void> {
    if (this.failure) return timerWait(deadlineNs, signal);
    return new Promise((resolve) => {
      if (signal?.aborted || deadlineNs <= process.hrtime.bigint()) return resolve();
      const sleeper: Sleeper = { deadline: deadlineNs, resolve };
      const onAbort = (): void => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        this.arm();
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      sleeper.resolve = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      let i = this.sleepers.length;
      while (i > 0 && this.sleepers[i - 1]!.deadline > deadlineNs) i--;
      this.sleepers.splice(i, 0, sleeper);
      if (i === 0) this.arm();
    });
  }

  async close(): Promise<void> {
    const waiting = this.sleepers;
    this.sleepers = [];
    this.arm();
    for (const s of waiting) s.resolve();
    await this.worker.terminate();
  }

  /** The thread died (it should not): waiters fall back to timers, and so does every later wait. */
  private fail(err: unknown): void {
    this.failure = err;
    process.emitWarning(`kzbench: wakeup thread failed, falling back to timers: ${String(err)}`);
    const waiting = this.sleepers;
    this.sleepers = [];
    this.worker.unref();
    for (const s of waiting) void timerWait(s.deadline).then(s.resolve);
  }

  private wakeDue(): void {
    const now = process.hrtime.bigint();
    let due = 0;
    while (due < this.sleepers.length && this.sleepers[due]!.deadline <= now) due++;
    const woken = this.sleepers.splice(0, due);
    this.arm();
    for (const s of woken) s.resolve();
  }

  /** Points the thread at the earliest deadline (0 = idle) under a new generation. */
  private arm(): void {
    this.armedGen = (Atomics.load(this.gen, 0) + 1) | 0;
    Atomics.store(this.deadline, 0, this.sleepers[0]?.deadline ?? 0n);
    Atomics.store(this.gen, 0, this.armedGen);
    Atomics.notify(this.gen, 0);
    const waiting = this.sleepers.length > 0;
    if (waiting !== this.referenced) {
      if (waiting) this.worker.ref();
      else this.worker.unref();
      this.referenced = waiting;
    }
  }
}

function timerWait(deadlineNs: bigint, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const remainingMs = Number(deadlineNs - process.hrtime.bigint()) / 1e6;
    if (signal?.aborted || remainingMs <= 0) return resolve();
    const timer = setTimeout(done, Math.ceil(remainingMs));
    signal?.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
