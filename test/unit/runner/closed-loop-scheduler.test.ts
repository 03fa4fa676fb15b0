import { describe, expect, it } from 'vitest';
import { ClosedLoopScheduler } from '../../../workloads/runner/closed-loop-scheduler.js';
import { HistoryRecorder } from '../../../workloads/runner/history-recorder.js';
import { runLoad } from '../../../workloads/runner/load-runner.js';
import type { Executor } from '../../../workloads/runner/operation.js';
import { RunSession } from '../../../workloads/runner/run-session.js';
import { VirtualClock } from '../../../workloads/runner/virtual-clock.js';

const ms = (n: number): bigint => BigInt(Math.round(n * 1e6));

describe('ClosedLoopScheduler', () => {
  it('keeps N workers busy back to back and records service time only', async () => {
    const clock = new VirtualClock();
    const history = new HistoryRecorder({ keep: true });
    const m = await new ClosedLoopScheduler(new RunSession({ clock, history }), {
      inFlight: 3,
      warmupSeconds: 0.1,
      durationSeconds: 1,
      generator: ({ seq }) => ({ f: 'get', value: seq }),
      executor: async () => {
        await clock.sleep(ms(10));
        return { type: 'ok' };
      },
    }).run();
    expect(m.mode).toBe('closed');
    expect(m.dropped).toBe(0);
    // 3 workers × (1.1 s / 10 ms) ops; 3 × 100 start inside the measurement window.
    expect(m.started).toBe(330);
    const get = m.ops[0]!;
    expect(get.counts).toEqual({ ok: 300, fail: 0, info: 0, dropped: 0 });
    expect(get.intended).toBeNull();
    expect(get.startDelay).toBeNull();
    expect(get.service.p50).toBe(10_000);
    expect(get.series.every((p) => p.intended === null)).toBe(true);
    // Each worker is one process; its invocations never overlap.
    const byProcess = new Map<unknown, string[]>();
    for (const op of history.ops) byProcess.set(op.process, [...(byProcess.get(op.process) ?? []), op.type]);
    expect([...byProcess.keys()].sort()).toEqual([0, 1, 2]);
    for (const types of byProcess.values()) expect(types.join(',')).toMatch(/^(invoke,ok,?)+$/);
  });

  it('hides a stall that open loop exposes: the same pause, seen by both load models', async () => {
    // The server pauses from 1 s to 2 s; requests otherwise take 1 ms.
    const pausedServer = (clock: VirtualClock): Executor => async () => {
      const now = clock.now();
      const done = now >= ms(1000) && now < ms(2000) ? ms(2001) : now + ms(1);
      await clock.sleepUntil(done);
      return { type: 'ok' };
    };
    const common = { warmupSeconds: 0, durationSeconds: 3, generator: () => ({ f: 'set' }) };
    const closedClock = new VirtualClock();
    const closed = await runLoad(new RunSession({ clock: closedClock }), { mode: 'closed', inFlight: 1, ...common, executor: pausedServer(closedClock) });
    const openClock = new VirtualClock();
    const open = await runLoad(new RunSession({ clock: openClock }), {
      mode: 'open',
      rate: 1000,
      inFlight: 10_000,
      ...common,
      executor: pausedServer(openClock),
    });
    // Closed loop: one op sat through the pause, ~2000 others were fast: p99 looks perfect.
    expect(closed.ops[0]!.service.max).toBeGreaterThanOrEqual(1_000_000);
    expect(closed.ops[0]!.service.p99).toBeLessThanOrEqual(1_000);
    // Open loop: the ~1000 ops due during the pause all waited; a third of the run is slow.
    expect(open.ops[0]!.intended!.p90).toBeGreaterThanOrEqual(100_000);
    expect(open.ops[0]!.intended!.p99).toBeGreaterThanOrEqual(900_000);
  });

  it('stops when the generator runs out and abandons a worker stuck past the drain timeout', async () => {
    const clock = new VirtualClock();
    const history = new HistoryRecorder({ keep: true });
    const m = await new ClosedLoopScheduler(new RunSession({ clock, history }), {
      inFlight: 2,
      warmupSeconds: 0,
      durationSeconds: 5,
      drainTimeoutSeconds: 1,
      generator: ({ seq }) => (seq < 6 ? { f: 'poll', value: seq } : null),
      executor: (op) =>
        op.value === 3
          ? new Promise(() => {})
          : clock.sleep(ms(100)).then(() => ({ type: 'ok' as const })),
    }).run();
    expect(m.generatorExhausted).toBe(true);
    expect(m.abandoned).toBe(1);
    expect(m.ops[0]!.counts.info).toBe(1);
    expect(m.ops[0]!.counts.ok).toBe(5);
    expect(history.ops.filter((o) => o.type === 'invoke')).toHaveLength(6);
  });
});

describe('stopping early', () => {
  it('closed loop: an abort stops new ops, measures only the time that ran, and a generator error is reported', async () => {
    const clock = new VirtualClock();
    const ac = new AbortController();
    void clock.sleepUntil(ms(500)).then(() => ac.abort());
    const m = await new ClosedLoopScheduler(new RunSession({ clock }), {
      inFlight: 2,
      warmupSeconds: 0,
      durationSeconds: 10,
      signal: ac.signal,
      generator: () => ({ f: 'x' }),
      executor: async () => {
        await clock.sleep(ms(100));
        return { type: 'ok' };
      },
    }).run();
    expect(m.measuredSeconds).toBeCloseTo(0.5, 6);
    expect(m.ops[0]!.counts.ok).toBe(10);

    const clock2 = new VirtualClock();
    const history = new HistoryRecorder({ keep: true });
    const failing = new ClosedLoopScheduler(new RunSession({ clock: clock2, history }), {
      inFlight: 2,
      warmupSeconds: 0,
      durationSeconds: 10,
      generator: ({ seq }) => {
        if (seq === 3) throw new Error('generator bug');
        return { f: 'x', value: seq };
      },
      executor: (op) => (op.value === 2 ? new Promise(() => {}) : clock2.sleep(ms(100)).then(() => ({ type: 'ok' as const }))),
    }).run();
    await expect(failing).rejects.toThrow('generator bug');
    // The run stops at once (not at the window's end) and the op left hanging is abandoned and logged.
    expect(history.ops.map((o) => o.type)).toEqual(['invoke', 'invoke', 'ok', 'ok', 'invoke', 'info']);
    expect(clock2.now()).toBe(ms(100));
  });
});
