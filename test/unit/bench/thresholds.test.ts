import { describe, expect, it } from 'vitest';
import type { Results } from '../../../reports/results-schema.js';
import { evaluateThresholds, parseThreshold, type ThresholdSource } from '../../../workloads/bench/thresholds.js';
import { assembleResults, runLoad, RunSession, VirtualClock, type MeasuredLoad } from '../../../workloads/runner/index.js';
import { fixtureEnvironment } from '../reports/fixture-results.js';

/**
 * One run per implementation on a virtual clock, every op taking exactly `serviceMs`: closed
 * loop with one worker gives exactly 1000 / serviceMs ops/s; open loop gives latency =
 * serviceMs (below saturation). Deterministic figures to hold thresholds against.
 */
async function measured(implementation: string, client: string, op: string, serviceMs: number, rate: number | null): Promise<MeasuredLoad> {
  const clock = new VirtualClock();
  const session = new RunSession({ clock });
  const common = {
    inFlight: 1,
    warmupSeconds: 0,
    durationSeconds: 1,
    generator: () => ({ f: op }),
    executor: async () => {
      await clock.sleep(BigInt(serviceMs * 1e6));
      return { type: 'ok' as const };
    },
  };
  const load = await runLoad(session, rate === null ? { mode: 'closed', ...common } : { mode: 'open', rate, ...common });
  return { implementation, client, load };
}

async function results(measurements: MeasuredLoad[], mode: 'open' | 'closed', extra: Record<string, unknown> = {}): Promise<Results> {
  return assembleResults({
    config: { workload: 'zk-hotpath', mode, rate: mode === 'open' ? 100 : null, arrival: null, durationSeconds: 1, warmupSeconds: 0, clients: 1, connections: 1, inFlight: 1, settings: {}, extra },
    environment: fixtureEnvironment,
    measurements,
    baseline: { implementation: 'apache' },
  });
}

describe('--threshold expressions', () => {
  it('parse into suite, op, metric, subject, comparator and a limit in the metric unit', () => {
    expect(parseThreshold('zookeeper.create.throughput.reference>1000')).toMatchObject({
      suite: 'zookeeper',
      op: 'create',
      metric: 'throughput',
      subject: { kind: 'run', implementation: 'reference' },
      comparator: '>',
      limit: 1000,
    });
    expect(parseThreshold('zookeeper.getData.p99.apache<5ms').limit).toBe(5000);
    expect(parseThreshold('zookeeper.getData.p99.apache<=0.5s').limit).toBe(500_000);
    expect(parseThreshold('kafka.produce-100B-acksall-batched.throughput.reference/apache>=0.5')).toMatchObject({
      op: 'produce-100B-acksall-batched',
      subject: { kind: 'ratio', candidate: 'reference', baseline: 'apache' },
      comparator: '>=',
      limit: 0.5,
    });
    expect(parseThreshold('zookeeper.getData-1-session.cpu.apache.node-zookeeper-client<40us').subject).toEqual({ kind: 'run', implementation: 'apache', client: 'node-zookeeper-client' });
  });

  it('reject what they cannot understand, saying which part is wrong', () => {
    expect(() => parseThreshold('zookeeper.create.speed.reference>1')).toThrow(/unknown metric 'speed'/);
    expect(() => parseThreshold('zookeeper.create.throughput.reference')).toThrow(/not understood/);
    expect(() => parseThreshold('zookeeper.create.throughput.reference>1ms')).toThrow(/unit 'ms' does not fit throughput/);
    expect(() => parseThreshold('zookeeper.create.throughput.reference/apache>1ms')).toThrow(/a ratio takes no unit/);
    expect(() => parseThreshold('zookeeper.create.throughput.a/b/c>1')).toThrow(/candidate\/baseline/);
  });

  it('take throughput from the closed-loop run and latency from the open-loop run', async () => {
    const closed = await results([await measured('apache', 'kzbench', 'create', 2, null), await measured('reference', 'kzbench', 'create', 1, null)], 'closed');
    const open = await results([await measured('apache', 'kzbench', 'create', 3, 100), await measured('reference', 'kzbench', 'create', 6, 100)], 'open');
    const sources: ThresholdSource[] = [
      { suite: 'zookeeper', results: closed },
      { suite: 'zookeeper', results: open },
    ];
    const outcomes = evaluateThresholds(
      [
        parseThreshold('zookeeper.create.throughput.reference>999'),
        parseThreshold('zookeeper.create.throughput.apache>999'),
        parseThreshold('zookeeper.create.p50.reference<=6ms'),
        parseThreshold('zookeeper.create.p50.apache<3ms'),
        parseThreshold('zookeeper.create.throughput.reference/apache>=2'),
        parseThreshold('zookeeper.create.p50.reference/apache<1'),
      ],
      sources,
    );
    expect(outcomes.map((o) => o.value)).toEqual([1000, 500, 6000, 3000, 2, 2]);
    expect(outcomes.map((o) => o.passed)).toEqual([true, false, true, false, true, false]);
  });

  it('are not evaluated (neither passed nor breached) when nothing was measured for them', async () => {
    const closed = await results([await measured('reference', 'kzbench', 'create', 1, null)], 'closed');
    const outcomes = evaluateThresholds(
      [parseThreshold('zookeeper.create.throughput.apache>1'), parseThreshold('zookeeper.nope.throughput.reference>1'), parseThreshold('kafka.produce.throughput.reference>1'), parseThreshold('zookeeper.create.throughput.reference/apache>1')],
      [{ suite: 'zookeeper', results: closed }],
    );
    expect(outcomes.map((o) => o.passed)).toEqual([null, null, null, null]);
    expect(outcomes[1]!.detail).toContain('ops measured: create');
    expect(outcomes[2]!.detail).toContain("suite 'kafka' did not run");
  });

  it('pick the client when one is named, kzbench when several ran, and read client CPU from the results', async () => {
    const id = (client: string) => `apache / ${client} / getData`;
    const closed = await results([await measured('apache', 'node-zookeeper-client', 'getData', 4, null), await measured('apache', 'kzbench', 'getData', 1, null)], 'closed', {
      clientCpuMicrosPerOp: { [id('node-zookeeper-client')]: 90, [id('kzbench')]: 12 },
    });
    const sources = [{ suite: 'zookeeper', results: closed }];
    const [ours, theirs, cpu, cpuTheirs] = evaluateThresholds(
      [
        parseThreshold('zookeeper.getData.throughput.apache>0'),
        parseThreshold('zookeeper.getData.throughput.apache.node-zookeeper-client>0'),
        parseThreshold('zookeeper.getData.cpu.apache<20'),
        parseThreshold('zookeeper.getData.cpu.apache.node-zookeeper-client<20us'),
      ],
      sources,
    );
    expect(ours!.value).toBe(1000);
    expect(theirs!.value).toBe(250);
    expect(cpu).toMatchObject({ value: 12, passed: true });
    expect(cpuTheirs).toMatchObject({ value: 90, passed: false });
  });
});
