import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../common/logger.js';
import type { Fault, FaultInstance } from '../../../workloads/nemesis/fault.js';
import { NemesisScheduler } from '../../../workloads/nemesis/nemesis-scheduler.js';
import { HistoryRecorder } from '../../../workloads/runner/history-recorder.js';
import { RunSession } from '../../../workloads/runner/run-session.js';
import { seededRandom } from '../../../workloads/runner/seeded-random.js';
import { VirtualClock } from '../../../workloads/runner/virtual-clock.js';

/** A fault that only counts: in force between start and heal. */
class CountingFault implements Fault {
  inForce = 0;
  starts = 0;
  heals = 0;
  healAlls = 0;
  constructor(
    readonly name: string,
    private readonly failStart = false,
  ) {}
  async start(): Promise<FaultInstance> {
    if (this.failStart) throw new Error(`${this.name} cannot start`);
    this.starts++;
    this.inForce++;
    return {
      nodes: ['n1'],
      detail: { description: `${this.name} on n1` },
      heal: async () => {
        this.heals++;
        this.inForce--;
        return { healed: this.name };
      },
    };
  }
  async healAll(): Promise<void> {
    this.healAlls++;
  }
}

async function runFor(seconds: number, faults: Fault[]) {
  const clock = new VirtualClock();
  const history = new HistoryRecorder({ keep: true });
  const session = new RunSession({ clock, history });
  const scheduler = new NemesisScheduler({ session, faults, intervalSeconds: 2, random: seededRandom(5), log: silentLogger });
  scheduler.start();
  await clock.sleep(BigInt(seconds) * 1_000_000_000n);
  const summary = await scheduler.stop();
  return { session, history, summary, scheduler };
}

describe('nemesis scheduler', () => {
  it('flips faults on and off at staggered intervals and records every start and stop', async () => {
    const kill = new CountingFault('kill');
    const partition = new CountingFault('partition');
    const { history, session } = await runFor(60, [kill, partition]);
    expect(kill.starts + partition.starts).toBeGreaterThan(5);
    const nemesisOps = history.ops.filter((o) => o.process === 'nemesis');
    expect(nemesisOps.every((o) => o.type === 'info')).toBe(true);
    // Every start has its stop, in order, per fault.
    for (const name of ['kill', 'partition']) {
      const fs = nemesisOps.filter((o) => o.f.endsWith(`-${name}`)).map((o) => o.f);
      expect(fs.length % 2).toBe(0);
      fs.forEach((f, i) => expect(f).toBe(i % 2 === 0 ? `start-${name}` : `stop-${name}`));
    }
    // Waits are within [0.5, 1.5] × interval: no action closer than 1 s to the previous one.
    const times = nemesisOps.map((o) => o.time!).slice(0, -2);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1e9);
    expect(session.nemesis.snapshot().every((i) => i.end !== null)).toBe(true);
  });

  it('stop() heals whatever is in force, then asks every fault to heal all', async () => {
    const kill = new CountingFault('kill');
    const { summary, scheduler } = await runFor(3, [kill]);
    expect(kill.inForce).toBe(0);
    expect(kill.healAlls).toBe(1);
    expect(scheduler.active).toEqual([]);
    expect(summary.errors).toEqual([]);
  });

  it('a fault that fails to start is recorded as a nemesis error op and the run goes on', async () => {
    const broken = new CountingFault('partition', true);
    const kill = new CountingFault('kill');
    const { history, summary } = await runFor(40, [broken, kill]);
    expect(summary.errors.some((e) => e.startsWith('start-partition: partition cannot start'))).toBe(true);
    expect(history.ops.some((o) => o.f === 'start-partition' && (o.value as { error?: string }).error === 'partition cannot start')).toBe(true);
    expect(kill.starts).toBeGreaterThan(0);
  });

  it('with no faults it does nothing', async () => {
    const { history } = await runFor(10, []);
    expect(history.ops).toEqual([]);
  });
});
