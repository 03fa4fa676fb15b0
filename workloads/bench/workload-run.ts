import { mkdir } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { ExitCode } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import type { CheckResult } from '../../checkers/checker.js';
import { writeRunOutputs } from '../../reports/report-outputs.js';
import type { Results, RunConfig } from '../../reports/results-schema.js';
import { parseImpl } from '../launchers/cluster-spec.js';
import { RunFaults } from '../nemesis/run-faults.js';
import { checkFaultOptions, workloadNamed } from '../registry.js';
import { assembleResults, collectEnvironment, HistoryRecorder, RunSession, type ProgressListener } from '../runner/index.js';
import { kzbenchVersion } from './kzbench-version.js';
import { isStartableTarget, resolveRunTarget } from './run-target.js';
import { measureWorkload } from './workload-measurement.js';

export const historyFileName = 'history.jsonl';

export interface WorkloadRunOptions {
  workload: string;
  /** target.json path, `reference`, `apache` or `apache:VERSION`. */
  target: string;
  nodes: number;
  /** Ops/s, open loop; null: closed loop (flat out). Undefined: the workload's default. */
  rate?: number | null;
  arrival?: 'uniform' | 'poisson';
  seed?: number;
  durationSeconds?: number;
  warmupSeconds?: number;
  clients?: number;
  inFlight?: number;
  params?: Record<string, string>;
  nemesis?: string[];
  injectBug?: string | null;
  outDir: string;
  log: Logger;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

export interface WorkloadRunOutcome {
  results: Results;
  resultsPath: string;
  reportPath: string;
  historyPath: string;
  /** 0, or 3 when a checker found a violation, 5 when one could not decide. */
  exitCode: number;
}

/**
 * `kzbench run`: resolve the workload and its options (usage errors before anything starts),
 * start the target when asked to, drive the load through the runner while recording the
 * history, stop the target, run the workload's checkers, and write results.json,
 * history.jsonl and report.html into the output directory.
 */
export async function runWorkload(opts: WorkloadRunOptions): Promise<WorkloadRunOutcome> {
  const def = workloadNamed(opts.workload);
  const nemesis = opts.nemesis ?? [];
  const injectBug = opts.injectBug ?? null;
  checkFaultOptions(def, nemesis, injectBug);
  const rate = opts.rate === undefined ? def.defaults.rate : opts.rate;
  const shape = {
    rate,
    arrival: opts.arrival ?? 'uniform',
    seed: opts.seed ?? 1,
    inFlight: opts.inFlight ?? def.defaults.inFlight,
    warmupSeconds: opts.warmupSeconds ?? def.defaults.warmupSeconds,
    durationSeconds: opts.durationSeconds ?? def.defaults.durationSeconds,
  };
  const clients = opts.clients ?? def.defaults.clients;
  const configured = def.configure({ params: opts.params ?? {}, clients, inFlight: shape.inFlight, rate, nemesis, injectBug });
  const faults = RunFaults.plan({
    nemesis,
    injectBug,
    system: def.system,
    impl: isStartableTarget(opts.target) ? parseImpl(opts.target).impl : null,
    nodes: opts.nodes,
    settings: configured.nemesis ?? { intervalSeconds: 5, recoveryTimeoutSeconds: 90, seed: shape.seed },
    log: opts.log,
  });

  const outDir = resolve(opts.outDir);
  await mkdir(outDir, { recursive: true });
  const historyPath = join(outDir, historyFileName);
  const loadAverage = loadavg();
  const runTarget = await resolveRunTarget(opts.target, { system: def.system, nodes: opts.nodes, log: opts.log, faultHooks: faults.clusterHooks() });
  const target = runTarget.target;
  opts.log.info(`${def.name}: ${target.impl} ${target.system} ${target.version} at ${target.nodes.map((n) => `${n.host}:${n.port}`).join(',')}`);

  const history = new HistoryRecorder({ file: historyPath, keep: configured.checked });
  const session = new RunSession({ history });
  let measurement;
  let nemesisRun;
  try {
    nemesisRun = await faults.attach(runTarget.local, target, session);
    measurement = await measureWorkload({
      configured,
      target,
      disposableTarget: runTarget.disposable,
      session,
      shape,
      log: opts.log,
      onProgress: opts.onProgress,
      signal: opts.signal,
      nemesis: nemesisRun,
    });
  } finally {
    await nemesisRun?.close().catch((err: Error) => opts.log.error(`could not undo every fault: ${err.message}`));
    await history.close().catch((err: Error) => opts.log.error(`could not write ${historyPath}: ${err.message}`));
    await runTarget.stop();
  }

  // The target is gone: the checkers get the machine to themselves.
  const checks: CheckResult[] = measurement.check ? await measurement.check(history.ops) : [];
  const config: RunConfig = {
    workload: def.name,
    mode: rate === null ? 'closed' : 'open',
    rate,
    arrival: rate === null ? null : shape.arrival,
    seed: rate === null ? null : shape.seed,
    durationSeconds: shape.durationSeconds,
    warmupSeconds: shape.warmupSeconds,
    clients,
    connections: measurement.connections,
    inFlight: shape.inFlight,
    settings: configured.settings,
    target: { system: target.system, impl: target.impl, version: target.version, nodes: target.nodes.length },
    nemesis: faults.described,
    injectBug,
    extra: { ...configured.extra, ...measurement.facts, clientCpuMicrosPerOp: round2(measurement.cpuMicrosPerOp) },
  };
  const results = assembleResults({
    config,
    environment: collectEnvironment({
      implementations: [{ name: target.impl, version: target.version, system: target.system }],
      java: target.impl === 'apache',
      kzbench: kzbenchVersion(),
      loadAverage,
    }),
    measurements: [{ implementation: target.impl, client: configured.client, load: measurement.load }],
    checks,
    nemesis: session.nemesis.snapshot(),
    history: { file: historyFileName, ops: history.count, bytes: history.size },
  });
  const { resultsPath, reportPath } = await writeRunOutputs(outDir, results);
  return { results, resultsPath, reportPath, historyPath, exitCode: exitCodeFor(checks) };
}

/** DESIGN.md: 3 when a checker found a violation, else 5 when one could not decide, else 0. */
export function exitCodeFor(checks: readonly CheckResult[]): number {
  if (checks.some((c) => c.valid === false)) return ExitCode.violation;
  if (checks.some((c) => c.valid === 'unknown')) return ExitCode.unknown;
  return ExitCode.ok;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
