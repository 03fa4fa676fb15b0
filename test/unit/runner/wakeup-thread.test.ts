import { afterEach, describe, expect, it } from 'vitest';
import { WakeupThread } from '../../../workloads/runner/wakeup-thread.js';
import { systemClock } from '../../../workloads/runner/clock.js';

const ms = (n: number): bigint => BigInt(Math.round(n * 1e6));

describe('WakeupThread', () => {
  let thread: WakeupThread | undefined;
  afterEach(async () => {
    await thread?.close();
    thread = undefined;
  });

  it('never wakes a sleeper before its deadline, and wakes sleepers in deadline order', async () => {
    thread = new WakeupThread();
    const start = process.hrtime.bigint() + ms(50);
    const offsets = [12, 3, 7, 3.5, 20, 1];
    const woken: number[] = [];
    const lateness: bigint[] = [];
    const waits = offsets.map(async (offset) => {
      const deadline = start + ms(offset);
      await thread!.wakeAt(deadline);
      lateness.push(process.hrtime.bigint() - deadline);
      woken.push(offset);
    });
    // Deadlines still ahead once every sleeper is registered were all waited for by the
    // thread, so they must come out in deadline order (on a loaded machine some may not be).
    const registeredAt = process.hrtime.bigint();
    const waitedFor = offsets.filter((o) => start + ms(o) > registeredAt);
    await Promise.all(waits);
    expect(lateness.every((l) => l >= 0n)).toBe(true);
    expect(woken.filter((o) => waitedFor.includes(o))).toEqual([...waitedFor].sort((a, b) => a - b));
  });

  it('resolves at once for a deadline already past, and on abort without waiting for the deadline', async () => {
    thread = new WakeupThread();
    await thread.wakeAt(process.hrtime.bigint() - 1n);
    const controller = new AbortController();
    // Without the abort this would wait a minute, far past the test's timeout.
    const far = thread.wakeAt(process.hrtime.bigint() + ms(60_000), controller.signal);
    setTimeout(() => controller.abort(), 5);
    await far;
  });

  it('close releases every waiter', async () => {
    thread = new WakeupThread();
    const waiting = thread.wakeAt(process.hrtime.bigint() + ms(60_000));
    await thread.close();
    await waiting;
    thread = undefined;
  });
});

describe('the real clocks', () => {
  it('systemClock sleeps until the deadline, not before, for short and long waits', async () => {
    const clock = systemClock;
    for (const wait of [0.2, 0.9, 2.5, 6]) {
      const deadline = clock.now() + ms(wait);
      await clock.sleepUntil(deadline);
      expect(clock.now() >= deadline).toBe(true);
    }
  });
});

describe('process lifetime', () => {
  it('a program that slept on the system clock exits by itself (the thread holds the process only while someone waits)', async () => {
    const { spawnSync } = await import('node:child_process');
    const { fileURLToPath } = await import('node:url');
    const clockJs = fileURLToPath(new URL('../../../dist/workloads/runner/clock.js', import.meta.url));
    const program = `
      const { systemClock } = await import(${JSON.stringify(clockJs)});
      for (const waitNs of [3_000_000n, 200_000n, 2_000_000n]) await systemClock.sleepUntil(systemClock.now() + waitNs);
      console.log('done');`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', program], { timeout: 10_000, encoding: 'utf8' });
    expect(run.stdout.trim()).toBe('done');
    expect(run.signal).toBeNull();
    expect(run.status).toBe(0);
  });
});
