import { createRequire } from 'node:module';
import type { Logger } from '../../common/logger.js';
import type { Results } from '../../reports/results-schema.js';
import { assembleResults, LatencyRecorder, type LoadMeasurement, type MeasuredLoad } from '../runner/index.js';
import type { BenchTiming } from './bench-options.js';
import type { BenchTarget, BenchTargetSet } from './bench-targets.js';
import { formatLatency, formatRate } from '../../reports/number-format.js';
import { benchEnvironment, withUniqueNotes, type SuiteOutput } from './suite-results.js';

export interface AdminSuiteInput {
  targets: BenchTargetSet;
  timing: BenchTiming;
  loadAverage: number[];
  log: Logger;
  signal?: AbortSignal;
}

/** The part of autocannon 9 (untyped CommonJS) this suite uses. */
interface AutocannonInstance extends PromiseLike<unknown> {
  on(event: 'response', listener: (client: unknown, statusCode: number, bytes: number, responseTimeMs: number) => void): void;
  on(event: 'reqError', listener: (err: Error) => void): void;
  stop(): void;
}
type Autocannon = (opts: { url: string; connections: number; pipelining: number; duration: number }) => AutocannonInstance;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/** AdminServer commands measured (`/commands/<name>`): the two monitoring tools poll most. */
export const adminCommands = ['mntr', 'stat'] as const;
const connections = 10;

/**
 * The admin suite: autocannon against the ZooKeeper AdminServer HTTP API
 * (`/commands/mntr`, `/commands/stat`) of every server that runs one (Apache with
 * admin.enableServer=true on a free port; the reference server implements it too).
 * Closed loop, 10 connections, no pipelining; autocannon's warm-up is a separate unmeasured
 * run. Each response's time, as autocannon measured it, goes into the runner's HDR recorder
 * (no coordinated-omission correction: this is a throughput test, labelled closed loop).
 */
export async function runAdminSuite(input: AdminSuiteInput): Promise<SuiteOutput[]> {
  const { targets, timing, log } = input;
  const servers = targets.available.filter((t) => t.run.target.nodes[0]?.adminPort !== undefined);
  const notes = targets.available.filter((t) => !servers.includes(t)).map((t) => `${t.impl} was started without an AdminServer port; not measured.`);
  if (servers.length === 0) return [];
  const measurements: MeasuredLoad[] = [];
  for (const t of servers) {
    if (timing.serverWarmupSeconds <= 0 || input.signal?.aborted) break;
    log.info(`warming up ${t.impl}'s AdminServer with ${timing.serverWarmupSeconds} s of /commands/mntr (not measured)`);
    await cannon(adminUrl(t, 'mntr'), timing.serverWarmupSeconds, 'mntr', input.signal);
  }
  for (const command of adminCommands) {
    for (const t of servers) {
      const url = adminUrl(t, command);
      const reps: LoadMeasurement[] = [];
      for (let rep = 0; rep < timing.repetitions && !input.signal?.aborted; rep++) {
        if (timing.warmupSeconds > 0) await cannon(url, timing.warmupSeconds, command, input.signal);
        const load = await cannon(url, timing.durationSeconds, command, input.signal);
        reps.push(load);
        const op = load.ops[0];
        log.info(`${t.impl} / autocannon / ${command}: ${formatRate(op ? op.counts.ok / load.measuredSeconds : 0)} ok, p50 ${formatLatency(op?.service.p50)}, p99 ${formatLatency(op?.service.p99)}`);
      }
      if (reps.length === 0) continue;
      const sorted = [...reps].sort((a, b) => okRate(a) - okRate(b));
      measurements.push({ implementation: t.impl, client: 'autocannon', load: sorted[(sorted.length - 1) >> 1]!, ...(reps.length > 1 ? { repetitions: reps } : {}) });
    }
  }
  const results: Results = withUniqueNotes(assembleResults({
    title: 'ZooKeeper AdminServer HTTP: /commands/mntr and /commands/stat (autocannon, closed loop)',
    config: {
      workload: 'zk-adminserver-http',
      mode: 'closed',
      rate: null,
      arrival: null,
      seed: null,
      durationSeconds: timing.durationSeconds,
      warmupSeconds: timing.warmupSeconds,
      clients: 1,
      connections,
      inFlight: connections,
      settings: { tool: 'autocannon 9', pipelining: 1, method: 'GET' },
      extra: { repetitions: timing.repetitions, urls: servers.map((t) => `${t.impl}: http://${t.run.target.nodes[0]!.host}:${t.run.target.nodes[0]!.adminPort}/commands/{${adminCommands.join(',')}}`) },
    },
    environment: benchEnvironment([targets], input.loadAverage),
    measurements,
    baseline: { implementation: 'apache' },
    notes: [...targets.notes(), ...notes],
  }));
  return [{ suite: 'admin', name: 'admin', results }];
}

function adminUrl(t: BenchTarget, command: string): string {
  const node = t.run.target.nodes[0]!;
  return `http://${node.host}:${node.adminPort}/commands/${command}`;
}

function okRate(load: LoadMeasurement): number {
  const op = load.ops[0];
  return op ? op.counts.ok / load.measuredSeconds : 0;
}

/** One autocannon run; every response (and error) recorded in µs on the run's time line. */
async function cannon(url: string, seconds: number, op: string, signal?: AbortSignal): Promise<LoadMeasurement> {
  const windowNs = BigInt(Math.round(seconds * 1e9));
  const recorder = new LatencyRecorder({ mode: 'closed', windowStartNs: 0n, windowLengthNs: windowNs });
  let started = 0;
  const t0 = process.hrtime.bigint();
  const instance = autocannon({ url, connections, pipelining: 1, duration: seconds });
  const stop = () => instance.stop();
  signal?.addEventListener('abort', stop, { once: true });
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTimeMs: number) => {
    started++;
    const done = process.hrtime.bigint() - t0;
    const sent = done - BigInt(Math.round(responseTimeMs * 1e6));
    const at = sent < 0n ? 0n : sent;
    recorder.complete({ f: op, type: statusCode >= 200 && statusCode < 300 ? 'ok' : 'fail', intendedNs: at, sentNs: at, doneNs: done });
  });
  instance.on('reqError', () => {
    started++;
    const done = process.hrtime.bigint() - t0;
    recorder.complete({ f: op, type: 'info', intendedNs: done, sentNs: done, doneNs: done });
  });
  await instance;
  signal?.removeEventListener('abort', stop);
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  return {
    mode: 'closed',
    ops: recorder.finish(),
    phases: { startNs: 0n, windowStartNs: 0n, endNs: windowNs, drainTimeoutNs: 0n },
    measuredSeconds: Math.min(seconds, elapsed) || seconds,
    started,
    dropped: 0,
    abandoned: 0,
    generatorExhausted: false,
  };
}
