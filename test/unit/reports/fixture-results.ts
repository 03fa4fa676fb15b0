import type { CheckResult } from '../../../checkers/checker.js';
import type { Environment, Results, RunConfig } from '../../../reports/results-schema.js';
import { HistoryRecorder } from '../../../workloads/runner/history-recorder.js';
import { runLoad } from '../../../workloads/runner/load-runner.js';
import type { Executor } from '../../../workloads/runner/operation.js';
import { assembleResults, type MeasuredLoad } from '../../../workloads/runner/results-assembly.js';
import { RunSession } from '../../../workloads/runner/run-session.js';
import { seededRandom } from '../../../workloads/runner/seeded-random.js';
import { VirtualClock } from '../../../workloads/runner/virtual-clock.js';

/**
 * A realistic results.json made by the real runner against a simulated server on a virtual
 * clock: deterministic, so report tests can assert on it, and shaped like a real run (two
 * implementations, two op kinds, a pause fault, checker verdicts).
 */
export const fixtureEnvironment: Environment = {
  hostname: 'fixture-host',
  cpu: { model: 'Fixture CPU @ 3.0GHz', count: 2 },
  memoryBytes: 24 * 1024 ** 3,
  os: { platform: 'linux', release: '6.1.0', arch: 'x64', type: 'Linux' },
  node: 'v20.19.0',
  java: 'openjdk version "17.0.12" 2024-07-16',
  implementations: [
    { name: 'reference', version: '0.1.0', system: 'zookeeper' },
    { name: 'apache', version: '3.9.3', system: 'zookeeper' },
  ],
};

export const fixtureConfig: RunConfig = {
  workload: 'zk-hotpath',
  mode: 'open',
  rate: 400,
  arrival: 'uniform',
  seed: null,
  durationSeconds: 12,
  warmupSeconds: 2,
  clients: 4,
  connections: 4,
  inFlight: 64,
  settings: { batching: false, acks: null, fsync: true, valueBytes: 100 },
  target: { system: 'zookeeper', nodes: 3 },
  nemesis: ['pause'],
};

export const fixtureChecks: CheckResult[] = [
  {
    checker: 'linearizability',
    model: 'cas-register',
    valid: true,
    anomalyTypes: [],
    anomalies: [],
    summary: 'All 10 keys linearizable: 2,312 ops explored in 41 ms.',
    stats: { ops: 2312, keys: 10, elapsedMs: 41 },
  },
  {
    checker: 'zookeeper-session',
    model: 'ephemeral-owner',
    valid: false,
    anomalyTypes: ['stale-ephemeral'],
    anomalies: [
      {
        type: 'stale-ephemeral',
        explanation: 'Ephemeral /lock/n-0000000007 was still readable 3.2 s after its session expired.',
        ops: [812, 990, 1004],
      },
    ],
    summary: 'One ephemeral node outlived its session.',
  },
];

interface SimulatedServer {
  name: string;
  /** Service time in ms for an op kind, before jitter. */
  baseMs: Record<string, number>;
}

function simulatedExecutor(clock: VirtualClock, server: SimulatedServer, seed: number, pause: { from: number; to: number }): Executor {
  const random = seededRandom(seed);
  const ms = (n: number) => BigInt(Math.round(n * 1e6));
  return async (op) => {
    // Log-normal-ish jitter with a rare slow tail; requests that arrive during the pause wait it out.
    const u = random();
    const jitter = Math.exp((random() - 0.5) * 0.8) * (u > 0.995 ? 8 : u > 0.97 ? 2.5 : 1);
    const service = server.baseMs[op.f]! * jitter;
    const now = Number(clock.now()) / 1e6;
    const start = now >= pause.from && now < pause.to ? pause.to : now;
    await clock.sleepUntil(ms(start + service));
    if (random() < 0.002) return { type: 'fail', error: 'NODEEXISTS' };
    return { type: 'ok', value: op.value };
  };
}

export interface FixtureOutput {
  results: Results;
  historyText: string;
}

export async function buildFixtureResults(opts: { checks?: boolean; withHistory?: boolean } = {}): Promise<FixtureOutput> {
  const servers: SimulatedServer[] = [
    { name: 'apache', baseMs: { create: 1.6, get: 0.35 } },
    { name: 'reference', baseMs: { create: 0.9, get: 0.22 } },
  ];
  const measurements: MeasuredLoad[] = [];
  const history = new HistoryRecorder({ keep: true });
  let nemesis: Results['nemesis'] = [];
  for (const [i, server] of servers.entries()) {
    const clock = new VirtualClock();
    const session = new RunSession({ clock, history: i === 0 ? history : undefined });
    const pause = { from: 7000, to: 8200 };
    if (i === 0) {
      void clock.sleepUntil(BigInt(pause.from * 1e6)).then(async () => {
        const fault = session.nemesis.begin('pause', ['n2']);
        await clock.sleepUntil(BigInt(pause.to * 1e6));
        fault.end();
      });
    }
    const random = seededRandom(100 + i);
    const load = await runLoad(session, {
      mode: 'open',
      rate: fixtureConfig.rate!,
      inFlight: fixtureConfig.inFlight,
      warmupSeconds: fixtureConfig.warmupSeconds,
      durationSeconds: fixtureConfig.durationSeconds,
      generator: ({ seq }) => ({ f: random() < 0.3 ? 'create' : 'get', value: seq, key: `/k${seq % 10}` }),
      executor: simulatedExecutor(clock, server, 7 + i, pause),
    });
    if (i === 0) nemesis = session.nemesis.snapshot();
    measurements.push({ implementation: server.name, client: 'kzbench-pipelined', load });
  }
  const historyText = history.ops.map((o) => JSON.stringify(o)).join('\n') + '\n';
  const results = assembleResults({
    title: 'zk-hotpath: apache vs reference (fixture)',
    config: fixtureConfig,
    environment: fixtureEnvironment,
    measurements,
    checks: opts.checks === false ? [] : fixtureChecks,
    nemesis,
    history: opts.withHistory === false ? null : { file: 'history.jsonl', ops: history.count, bytes: Buffer.byteLength(historyText) },
    createdAt: new Date('2025-01-15T10:00:00Z'),
  });
  return { results, historyText };
}
