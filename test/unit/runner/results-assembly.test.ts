import { describe, expect, it } from 'vitest';
import type { Environment, RunConfig } from '../../../reports/results-schema.js';
import { ClosedLoopScheduler } from '../../../workloads/runner/closed-loop-scheduler.js';
import { collectEnvironment } from '../../../workloads/runner/environment.js';
import type { LoadMeasurement } from '../../../workloads/runner/load-phases.js';
import { OpenLoopScheduler } from '../../../workloads/runner/open-loop-scheduler.js';
import { assembleResults } from '../../../workloads/runner/results-assembly.js';
import { RunSession } from '../../../workloads/runner/run-session.js';
import { VirtualClock } from '../../../workloads/runner/virtual-clock.js';

const config: RunConfig = {
  workload: 'unit',
  mode: 'open',
  rate: 100,
  arrival: 'uniform',
  durationSeconds: 1,
  warmupSeconds: 0,
  clients: 1,
  connections: 1,
  inFlight: 2,
  settings: { batching: false, acks: 'all', fsync: null },
};
const environment: Environment = {
  cpu: { model: 'unit', count: 1 },
  memoryBytes: 1,
  os: { platform: 'linux', release: '6', arch: 'x64' },
  node: 'v20',
  java: null,
  implementations: [],
};

/** An open-loop run whose ops take `serviceMs` each; slow services overflow the in-flight bound. */
async function openLoad(serviceMs: number): Promise<LoadMeasurement> {
  const clock = new VirtualClock();
  return new OpenLoopScheduler(new RunSession({ clock }), {
    rate: 100,
    inFlight: 2,
    warmupSeconds: 0,
    durationSeconds: 1,
    generator: ({ seq }) => ({ f: seq % 2 ? 'read' : 'write' }),
    executor: async () => {
      await clock.sleep(BigInt(serviceMs * 1e6));
      return { type: 'ok' };
    },
  }).run();
}

describe('assembleResults', () => {
  it('makes one valid run per implementation × client × op, with comparisons and notes', async () => {
    const results = assembleResults({
      config,
      environment,
      measurements: [
        { implementation: 'apache', client: 'c', load: await openLoad(5) },
        { implementation: 'reference', client: 'c', load: await openLoad(25) },
      ],
      createdAt: new Date(0),
    });
    expect(results.title).toBe('unit: apache vs reference (100 ops/s open loop)');
    expect(results.createdAt).toBe('1970-01-01T00:00:00.000Z');
    expect(results.runs.map((r) => r.id)).toEqual(['apache / c / write', 'apache / c / read', 'reference / c / write', 'reference / c / read']);
    const apacheWrite = results.runs[0]!;
    expect(apacheWrite.throughput.okPerSecond).toBe(50);
    expect(apacheWrite.latency.intended!.p50).toBe(5000);
    // 25 ms ops at 100/s with 2 slots: every other arrival finds both slots busy.
    const refWrite = results.runs[2]!;
    expect(refWrite.counts.dropped).toBeGreaterThan(0);
    expect(results.notes.some((n) => n.startsWith('reference / c: ') && n.includes('were dropped'))).toBe(true);
    expect(results.notes.some((n) => n.startsWith('apache / c: '))).toBe(false);
    const cmp = results.comparisons.find((c) => c.op === 'write' && c.metric === 'p50' && c.latency === 'intended')!;
    expect(cmp).toMatchObject({ baseline: 'apache / c / write', candidate: 'reference / c / write', ratio: 5, better: 'baseline' });
  });

  it('notes closed loop, and records repetitions for medians', async () => {
    const closed = async (): Promise<LoadMeasurement> => {
      const clock = new VirtualClock();
      return new ClosedLoopScheduler(new RunSession({ clock }), {
        inFlight: 1,
        warmupSeconds: 0,
        durationSeconds: 1,
        generator: () => ({ f: 'get' }),
        executor: async () => {
          await clock.sleep(10_000_000n);
          return { type: 'ok' };
        },
      }).run();
    };
    const reps = [await closed(), await closed(), await closed()];
    const results = assembleResults({
      config: { ...config, mode: 'closed', rate: null, arrival: null, inFlight: 1 },
      environment: collectEnvironment({ implementations: [{ name: 'reference', version: '0.1.0' }] }),
      measurements: [{ implementation: 'reference', client: 'c', load: reps[1]!, repetitions: reps }],
    });
    expect(results.notes[0]).toMatch(/closed loop, 1 workers flat out.*coordinated omission/);
    expect(results.runs[0]!.repetitions).toEqual([
      { okPerSecond: 100, p50: 10_000, p99: 10_000 },
      { okPerSecond: 100, p50: 10_000, p99: 10_000 },
      { okPerSecond: 100, p50: 10_000, p99: 10_000 },
    ]);
    expect(results.runs[0]!.latency.intended).toBeNull();
    expect(results.environment.node).toBe(process.version);
    expect(results.environment.java).toBeNull();
    expect(results.environment.cpu.count).toBeGreaterThan(0);
  });
});
