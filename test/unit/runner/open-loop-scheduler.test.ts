import { decodeFromCompressedBase64 } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { HistoryRecorder } from '../../../workloads/runner/history-recorder.js';
import { OpenLoopScheduler } from '../../../workloads/runner/open-loop-scheduler.js';
import type { Executor, OpGenerator } from '../../../workloads/runner/operation.js';
import { RunSession } from '../../../workloads/runner/run-session.js';
import { VirtualClock } from '../../../workloads/runner/virtual-clock.js';

const ms = (n: number): bigint => BigInt(Math.round(n * 1e6));
const writes: OpGenerator = ({ seq }) => ({ f: 'write', value: seq });

/** A server that answers in `serviceMs`, but not while it is paused (answers resume at the end of the pause). */
function pausableServer(clock: VirtualClock, serviceMs: number, pause?: { from: number; to: number }) {
  return async (): Promise<void> => {
    let done = clock.now() + ms(serviceMs);
    if (pause && done > ms(pause.from) && clock.now() < ms(pause.to)) done = (done > ms(pause.to) ? done : ms(pause.to)) + ms(serviceMs);
    await clock.sleepUntil(done);
  };
}

describe('OpenLoopScheduler', () => {
  it('starts ops at evenly spaced intended times, warm-up first, and measures only the window', async () => {
    const clock = new VirtualClock();
    const session = new RunSession({ clock });
    const intended: bigint[] = [];
    const warmupFlags: boolean[] = [];
    const executor: Executor = async (_op, ctx) => {
      intended.push(ctx.intendedStart);
      await clock.sleep(ms(2));
      return { type: 'ok' };
    };
    const m = await new OpenLoopScheduler(session, {
      rate: 10,
      inFlight: 4,
      warmupSeconds: 1,
      durationSeconds: 2,
      executor,
      generator: (ctx) => {
        warmupFlags.push(ctx.warmup);
        return { f: 'write', value: ctx.seq };
      },
    }).run();

    expect(intended).toEqual(Array.from({ length: 30 }, (_, i) => ms(i * 100)));
    expect(warmupFlags.filter(Boolean)).toHaveLength(10);
    expect(m.started).toBe(30);
    expect(m.ops).toHaveLength(1);
    const write = m.ops[0]!;
    expect(write.counts).toEqual({ ok: 20, fail: 0, info: 0, dropped: 0 });
    // Every op took exactly 2 ms of (virtual) time, from its intended start and from its send.
    expect(write.intended!.max).toBe(2000);
    expect(write.intended!.p50).toBe(2000);
    expect(write.service.p50).toBe(2000);
    expect(write.startDelay!.max).toBe(0);
    expect(m.measuredSeconds).toBe(2);
    // Two one-second intervals of the window, starting at t = 1 s (after the warm-up).
    expect(write.series.map((p) => [p.t, p.ok])).toEqual([
      [1, 10],
      [2, 10],
    ]);
  });

  it('spaces Poisson arrivals irregularly but reproducibly from the seed', async () => {
    const starts = async (seed: number): Promise<bigint[]> => {
      const clock = new VirtualClock();
      const seen: bigint[] = [];
      await new OpenLoopScheduler(new RunSession({ clock }), {
        rate: 100,
        arrival: 'poisson',
        seed,
        inFlight: 100,
        warmupSeconds: 0,
        durationSeconds: 1,
        generator: writes,
        executor: async (_op, ctx) => {
          seen.push(ctx.intendedStart);
          return { type: 'ok' };
        },
      }).run();
      return seen;
    };
    const a = await starts(7);
    expect(await starts(7)).toEqual(a);
    expect(await starts(8)).not.toEqual(a);
    const gaps = a.slice(1).map((t, i) => t - a[i]!);
    expect(new Set(gaps.map(String)).size).toBeGreaterThan(gaps.length / 2);
    expect(a.every((t) => t < ms(1000))).toBe(true);
  });

  it('counts arrivals that find every slot busy as dropped, per op kind, and never runs them', async () => {
    const clock = new VirtualClock();
    let executed = 0;
    const m = await new OpenLoopScheduler(new RunSession({ clock }), {
      rate: 10,
      inFlight: 2,
      warmupSeconds: 0,
      durationSeconds: 1,
      generator: ({ seq }) => ({ f: seq % 2 === 0 ? 'read' : 'write' }),
      executor: async () => {
        executed++;
        await clock.sleep(ms(1000));
        return { type: 'ok' };
      },
    }).run();
    // Arrivals at 0, 100, ..., 900 ms: the first two take both slots for a second; the other 8 are dropped.
    expect(executed).toBe(2);
    expect(m.started).toBe(2);
    expect(m.dropped).toBe(8);
    const byOp = Object.fromEntries(m.ops.map((o) => [o.op, o.counts]));
    expect(byOp.read).toEqual({ ok: 1, fail: 0, info: 0, dropped: 4 });
    expect(byOp.write).toEqual({ ok: 1, fail: 0, info: 0, dropped: 4 });
    expect(m.ops.flatMap((o) => o.series).reduce((n, p) => n + p.dropped, 0)).toBe(8);
  });

  it('measures from the intended start, so a stall behind a client queue shows in every op scheduled during it (coordinated omission)', async () => {
    const clock = new VirtualClock();
    const server = pausableServer(clock, 1, { from: 1000, to: 2000 });
    // One connection that serves one request at a time: later ops wait in the client's queue
    // and mark their actual send when they reach the wire.
    let queue: Promise<void> = Promise.resolve();
    const executor: Executor = (_op, ctx) => {
      const turn = queue.then(async () => {
        ctx.markSent();
        await server();
      });
      queue = turn;
      return turn.then(() => ({ type: 'ok' as const }));
    };
    const m = await new OpenLoopScheduler(new RunSession({ clock }), {
      rate: 100,
      inFlight: 1000,
      warmupSeconds: 0,
      durationSeconds: 3,
      generator: writes,
      executor,
    }).run();
    const write = m.ops[0]!;
    expect(write.counts.ok).toBe(300);
    expect(write.counts.dropped).toBe(0);
    // The op sent just before the pause waits it out: about a second.
    expect(write.intended!.max).toBeGreaterThanOrEqual(1_000_000);
    // ~100 ops were scheduled during the pause: well over 1% of ops saw >= 500 ms from their intended start...
    const intended = decodeFromCompressedBase64(write.intended!.histogram);
    expect(intended.getValueAtPercentile(99)).toBeGreaterThanOrEqual(500_000);
    expect(write.intended!.p90).toBeGreaterThanOrEqual(100_000);
    // ...while service time, measured from the actual send, blames the pause on a single op.
    expect(write.service.max).toBeGreaterThanOrEqual(1_000_000);
    expect(write.service.p99).toBeLessThan(10_000);
    // The difference is the time ops spent waiting to be sent.
    expect(write.startDelay!.p90).toBeGreaterThanOrEqual(100_000);
    // The stalled second shows no completions in the time series, then a burst.
    const okPerSecond = write.series.map((p) => p.ok);
    expect(okPerSecond[1]).toBeLessThan(5);
    expect(okPerSecond[2]).toBeGreaterThan(100);
  });

  it('records invoke and completion in the history, with fresh process ids after info', async () => {
    const clock = new VirtualClock();
    const history = new HistoryRecorder({ keep: true });
    const session = new RunSession({ clock, history });
    const m = await new OpenLoopScheduler(session, {
      rate: 10,
      inFlight: 2,
      warmupSeconds: 0,
      durationSeconds: 0.6,
      generator: ({ seq }) => ({ f: 'cas', value: [seq, seq + 1], key: seq % 3 }),
      executor: async (op, ctx) => {
        await clock.sleep(ms(10));
        const seq = (op.value as number[])[0]!;
        if (seq === 1) throw new Error('connection lost');
        if (seq === 2) return { type: 'fail', error: 'bad version' };
        return { type: 'ok', node: `n${ctx.worker}` };
      },
    }).run();
    expect(m.ops[0]!.counts).toEqual({ ok: 4, fail: 1, info: 1, dropped: 0 });
    const ops = history.ops;
    expect(ops.map((o) => o.index)).toEqual(ops.map((_, i) => i));
    expect(ops.map((o) => o.type)).toEqual(['invoke', 'ok', 'invoke', 'info', 'invoke', 'fail', 'invoke', 'ok', 'invoke', 'ok', 'invoke', 'ok']);
    const times = ops.map((o) => o.time!);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(ops[0]).toMatchObject({ time: 0, process: 0, f: 'cas', value: [0, 1], key: 0 });
    expect(ops[1]).toMatchObject({ time: 10_000_000, process: 0, type: 'ok', node: 'n0' });
    // Slots are handed out round robin; the op that threw is indeterminate and its process retires (1 -> 3).
    expect(ops[3]).toMatchObject({ process: 1, type: 'info', error: 'connection lost' });
    expect(ops[4]).toMatchObject({ process: 0, type: 'invoke' });
    expect(ops[6]).toMatchObject({ process: 3, type: 'invoke' });
  });

  it('ends early when the generator runs out, and abandons ops that never complete', async () => {
    const clock = new VirtualClock();
    const history = new HistoryRecorder({ keep: true });
    let aborted = false;
    const m = await new OpenLoopScheduler(new RunSession({ clock, history }), {
      rate: 10,
      inFlight: 10,
      warmupSeconds: 0,
      durationSeconds: 10,
      drainTimeoutSeconds: 5,
      generator: ({ seq }) => (seq < 3 ? { f: 'poll' } : null),
      executor: (_op, ctx) =>
        new Promise((resolve) => {
          if (ctx.process === 1) return ctx.signal.addEventListener('abort', () => (aborted = true));
          resolve({ type: 'ok' });
        }),
    }).run();
    expect(m.generatorExhausted).toBe(true);
    expect(m.started).toBe(3);
    expect(m.abandoned).toBe(1);
    expect(aborted).toBe(true);
    expect(m.ops[0]!.counts).toEqual({ ok: 2, fail: 0, info: 1, dropped: 0 });
    expect(m.measuredSeconds).toBeCloseTo(0.3, 6);
    const last = history.ops.at(-1)!;
    expect(last).toMatchObject({ process: 1, type: 'info', error: expect.stringMatching(/abandoned/) });
    // The generator ran out at the 0.3 s arrival; the drain then waited its 5 s and gave up.
    expect(last.time).toBe(5_300_000_000);
  });

  it('rejects nonsense options', async () => {
    const session = new RunSession({ clock: new VirtualClock() });
    const base = { inFlight: 1, warmupSeconds: 0, durationSeconds: 1, generator: writes, executor: async () => ({ type: 'ok' as const }) };
    await expect(new OpenLoopScheduler(session, { ...base, rate: 0 }).run()).rejects.toThrow(/rate/);
    await expect(new OpenLoopScheduler(session, { ...base, rate: 1, inFlight: 0 }).run()).rejects.toThrow(/in-flight/);
    await expect(new OpenLoopScheduler(session, { ...base, rate: 1, durationSeconds: 0 }).run()).rejects.toThrow(/duration/);
  });
});

describe('OpenLoopScheduler stopping early', () => {
  it('stops on abort, measuring only the time that ran', async () => {
    const clock = new VirtualClock();
    const ac = new AbortController();
    void clock.sleepUntil(ms(1250)).then(() => ac.abort());
    const m = await new OpenLoopScheduler(new RunSession({ clock }), {
      rate: 10,
      inFlight: 10,
      warmupSeconds: 1,
      durationSeconds: 10,
      signal: ac.signal,
      generator: writes,
      executor: async () => ({ type: 'ok' }),
    }).run();
    expect(m.started).toBe(13);
    expect(m.measuredSeconds).toBeCloseTo(0.25, 6);
    expect(m.ops[0]!.counts.ok).toBe(3);
  });

  it('reports a generator that throws, abandoning what is in flight', async () => {
    const clock = new VirtualClock();
    const history = new HistoryRecorder({ keep: true });
    const run = new OpenLoopScheduler(new RunSession({ clock, history }), {
      rate: 10,
      inFlight: 10,
      warmupSeconds: 0,
      durationSeconds: 10,
      generator: ({ seq }) => {
        if (seq === 2) throw new Error('generator bug');
        return { f: 'write' };
      },
      executor: () => new Promise(() => {}),
    }).run();
    await expect(run).rejects.toThrow('generator bug');
    expect(history.ops.map((o) => o.type)).toEqual(['invoke', 'invoke', 'info', 'info']);
  });
});

describe('progress', () => {
  it('reports counts once a second on the session clock, and stops with the run', async () => {
    const clock = new VirtualClock();
    const ticks: Array<{ t: number; warmup: boolean; started: number; completed: number; dropped: number; inFlight: number }> = [];
    const m = await new OpenLoopScheduler(new RunSession({ clock }), {
      rate: 10,
      inFlight: 5,
      warmupSeconds: 1.5,
      durationSeconds: 2,
      generator: writes,
      executor: async () => {
        await clock.sleep(ms(650));
        return { type: 'ok' };
      },
      onProgress: (p) => ticks.push({ t: p.elapsedSeconds, warmup: p.warmup, started: p.started, completed: p.completed, dropped: p.dropped, inFlight: p.inFlight }),
    }).run();
    // One tick per whole second until the run's last completion, then none.
    const endSeconds = Number(clock.now()) / 1e9;
    expect(endSeconds).toBeGreaterThan(3.5);
    expect(ticks.map((t) => t.t)).toEqual(Array.from({ length: Math.floor(endSeconds) }, (_, i) => i + 1));
    expect(ticks.map((t) => t.warmup)).toEqual([true, false, false]);
    // Arrivals handled by each tick: 10 per second (11 if the one due on the tick went first).
    for (const t of ticks) expect([10 * t.t, 10 * t.t + 1]).toContain(t.started + t.dropped);
    expect(ticks.every((t) => t.inFlight <= 5 && t.completed === t.started - t.inFlight)).toBe(true);
    expect(m.started + m.dropped).toBe(35);
    const before = clock.pending;
    await clock.sleep(ms(5000));
    expect(before).toBe(0);
  });
});
