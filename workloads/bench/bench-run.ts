import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { ExitCode } from '../../common/errors.js';
import { benchmarkActionEntries, writeBenchmarkActionFiles, type BenchmarkActionFiles } from '../../reports/benchmark-action-json.js';
import { writeBenchOutputs } from '../../reports/report-outputs.js';
import type { BenchPageLink } from '../../reports/render-bench-index.js';
import { collectEnvironment } from '../runner/index.js';
import { runAdminSuite } from './admin-suite.js';
import type { BenchOptions } from './bench-options.js';
import { writeBenchPage, type BenchPage } from './bench-page.js';
import { startBenchTargets, type BenchTargetSet } from './bench-targets.js';
import { runCheckersSuite } from './checkers-suite.js';
import { runKafkaSuite } from './kafka-suite.js';
import { kzbenchVersion } from './kzbench-version.js';
import { microPage } from './micro-page.js';
import { runMicroSuite } from './micro-suite.js';
import type { SuiteOutput } from './suite-results.js';
import { evaluateThresholds, type ThresholdOutcome } from './thresholds.js';
import { runZookeeperSuite } from './zookeeper-suite.js';

export interface BenchOutcome {
  outputs: SuiteOutput[];
  pages: Array<BenchPageLink & { reportPath: string; figuresPath: string }>;
  index: string | null;
  benchmarkAction: { biggerIsBetter: string; smallerIsBetter: string } | null;
  thresholds: ThresholdOutcome[];
  /** 4 when a threshold was breached, else 0. */
  exitCode: number;
}

/**
 * `kzbench bench`: starts the servers the selected suites need (all at once, so JVM start-ups
 * overlap), runs the suites one after another on an otherwise idle set of servers (each
 * system's servers are stopped as soon as its suites are done), writes reports/out/ (index,
 * per-suite report and results, github-action-benchmark JSON), and checks the thresholds.
 */
export async function runBench(opts: BenchOptions): Promise<BenchOutcome> {
  const { log, suites, timing } = opts;
  // Before our own load: what else the machine was doing.
  const loadAverage = loadavg();
  log.info(`bench: suites ${suites.join(', ')}; ${timing.repetitions} repetition(s) of ${timing.warmupSeconds} s warm-up + ${timing.durationSeconds} s; load average ${loadAverage.map((l) => l.toFixed(2)).join(' ')}`);
  const outDir = resolve(opts.outDir);
  await mkdir(outDir, { recursive: true });

  const needsZookeeper = suites.includes('zookeeper') || suites.includes('admin');
  const needsKafka = suites.includes('kafka');
  const started = await Promise.allSettled([
    needsZookeeper ? startBenchTargets({ system: 'zookeeper', impls: opts.impls, adminServer: suites.includes('admin'), log }) : Promise.resolve(null),
    needsKafka ? startBenchTargets({ system: 'kafka', impls: opts.impls, log }) : Promise.resolve(null),
  ]);
  const targetSets = started.flatMap((s) => (s.status === 'fulfilled' && s.value ? [s.value] : []));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await Promise.allSettled(targetSets.map((t) => t.stop()));
    throw failed.reason;
  }
  const [zookeeper, kafka] = started.map((s) => (s.status === 'fulfilled' ? s.value : null)) as [BenchTargetSet | null, BenchTargetSet | null];

  const outputs: SuiteOutput[] = [];
  const pages: BenchPage[] = [];
  const common = { timing, quick: opts.quick, loadAverage, log, signal: opts.signal };
  try {
    if (zookeeper) {
      if (suites.includes('zookeeper')) outputs.push(...(await runZookeeperSuite({ ...common, targets: zookeeper, rate: opts.zookeeperRate, log: log.child('zookeeper') })));
      if (suites.includes('admin')) outputs.push(...(await runAdminSuite({ ...common, targets: zookeeper, log: log.child('admin') })));
      await zookeeper.stop();
    }
    if (kafka) {
      outputs.push(...(await runKafkaSuite({ ...common, targets: kafka, rate: opts.kafkaRate, log: log.child('kafka') })));
      await kafka.stop();
    }
  } finally {
    await Promise.allSettled(targetSets.map((t) => t.stop()));
  }
  // CPU-only suites run with the servers gone.
  if (suites.includes('micro') && !opts.signal?.aborted) pages.push(microPage(await runMicroSuite({ quick: opts.quick, log: log.child('micro') }), { quick: opts.quick }));
  if (suites.includes('checkers') && !opts.signal?.aborted) pages.push(await runCheckersSuite({ quick: opts.quick, log: log.child('checkers') }));

  const environment = collectEnvironment({ implementations: [], kzbench: kzbenchVersion(), loadAverage });
  const writtenPages = [];
  for (const page of pages) writtenPages.push(await writeBenchPage(outDir, page, environment));
  let index: string | null = null;
  let benchmarkAction: BenchOutcome['benchmarkAction'] = null;
  if (outputs.length > 0 || writtenPages.length > 0) {
    const written = await writeBenchOutputs(outDir, outputs, `kzbench bench${opts.quick ? ' --quick' : ''}`, writtenPages);
    index = written.index;
    // The load suites' entries, plus what only the bench knows: client CPU, MB/s, micro and checker figures.
    benchmarkAction = await writeBenchmarkActionFiles(join(outDir, 'benchmark-action'), mergeEntries([benchmarkActionEntries(outputs), extraEntries(outputs), ...pages.map((p) => p.benchmarkAction)]));
  }
  const thresholds = evaluateThresholds(opts.thresholds, outputs);
  const breached = thresholds.some((t) => t.passed === false);
  return { outputs, pages: writtenPages, index, benchmarkAction, thresholds, exitCode: breached ? ExitCode.thresholdBreached : ExitCode.ok };
}

function mergeEntries(files: readonly BenchmarkActionFiles[]): BenchmarkActionFiles {
  return { biggerIsBetter: files.flatMap((f) => f.biggerIsBetter), smallerIsBetter: files.flatMap((f) => f.smallerIsBetter) };
}

/** Client CPU per op (smaller is better) and MB/s (bigger is better), from the suites' `extra`. */
function extraEntries(outputs: readonly SuiteOutput[]): BenchmarkActionFiles {
  const out: BenchmarkActionFiles = { biggerIsBetter: [], smallerIsBetter: [] };
  for (const o of outputs) {
    const extra = o.results.config.extra ?? {};
    if (o.name.includes('-clients')) {
      for (const [id, us] of Object.entries((extra.clientCpuMicrosPerOp ?? {}) as Record<string, number>)) {
        out.smallerIsBetter.push({ name: `${o.name}: ${id} client CPU`, unit: 'us/op', value: us });
      }
    }
    for (const [id, mb] of Object.entries((extra.megabytesPerSecond ?? {}) as Record<string, number>)) {
      out.biggerIsBetter.push({ name: `${o.name}: ${id} MB/s`, unit: 'MB/s', value: mb });
    }
  }
  return out;
}
