import { UsageError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import { parseImpl } from '../launchers/cluster-spec.js';
import type { BenchTargetSet } from './bench-targets.js';
import { commaList } from './option-values.js';
import { parseThreshold, type Threshold } from './thresholds.js';

export const suiteNames = ['zookeeper', 'kafka', 'micro', 'admin', 'checkers'] as const;
export type SuiteName = (typeof suiteNames)[number];

/**
 * What `kzbench bench` runs with no `--suite`: the two hot-path comparisons the project exists
 * for. micro, admin and checkers are opt-in (`--suite all` runs everything).
 */
export const defaultSuites: readonly SuiteName[] = ['zookeeper', 'kafka'];

/** Which implementations to compare; Apache versions per system (undefined = the launcher's default). */
export interface ImplSelection {
  reference: boolean;
  apache: boolean;
  apacheVersions: { zookeeper?: string; kafka?: string };
}

/** Warm-up, measurement and repetitions of every load cell. */
export interface BenchTiming {
  /** Once per server and suite, before anything is measured (JIT, caches). */
  serverWarmupSeconds: number;
  /** Before each measurement, unmeasured. */
  warmupSeconds: number;
  durationSeconds: number;
  repetitions: number;
}

/** What a hot-path suite (zookeeper, kafka) runs with. */
export interface HotPathSuiteInput {
  targets: BenchTargetSet;
  timing: BenchTiming;
  quick: boolean;
  /** Open-loop rate for the latency runs, in the suite's unit (lowered to half the slowest measured capacity). */
  rate: number;
  loadAverage: number[];
  log: Logger;
  signal?: AbortSignal;
}

export interface BenchOptions {
  suites: SuiteName[];
  impls: ImplSelection;
  quick: boolean;
  timing: BenchTiming;
  outDir: string;
  thresholds: Threshold[];
  /** Open-loop rate for the latency runs, ZooKeeper ops/s (lowered to half the measured capacity when that is less). */
  zookeeperRate: number;
  /** Open-loop rate for the latency runs, Kafka records/s. */
  kafkaRate: number;
  log: Logger;
  signal?: AbortSignal;
}

/** `--quick`: the smaller matrix, once: the default suites in under two minutes on two cores. */
export const quickTiming: BenchTiming = { serverWarmupSeconds: 1, warmupSeconds: 0.5, durationSeconds: 1.5, repetitions: 1 };
/** The default: the whole matrix, twice (interleaved), so every figure has a spread. */
export const defaultTiming: BenchTiming = { serverWarmupSeconds: 3, warmupSeconds: 0.5, durationSeconds: 2.5, repetitions: 2 };

export function parseSuites(text: string | undefined): SuiteName[] {
  if (text === undefined) return [...defaultSuites];
  const items = commaList(text);
  if (items.includes('all')) return [...suiteNames];
  const bad = items.filter((s) => !(suiteNames as readonly string[]).includes(s));
  if (items.length === 0 || bad.length > 0) {
    throw new UsageError('KZ_BENCH_SUITE_UNKNOWN', `unknown --suite ${bad.join(',') || "''"}; choose from ${suiteNames.join(', ')} or all (comma-separated)`);
  }
  return suiteNames.filter((s) => items.includes(s));
}

/**
 * `--impl reference,apache` (default both). `apache:V` pins the Apache version for every
 * system in the run; `--apache-zookeeper` / `--apache-kafka` pin one system each.
 */
export function parseImpls(text: string | undefined, perSystem: { zookeeper?: string; kafka?: string }): ImplSelection {
  const sel: ImplSelection = { reference: false, apache: false, apacheVersions: { ...perSystem } };
  for (const item of commaList(text ?? 'reference,apache')) {
    const choice = parseImpl(item);
    if (choice.impl === 'reference') sel.reference = true;
    else {
      sel.apache = true;
      if (choice.version) {
        sel.apacheVersions.zookeeper ??= choice.version;
        sel.apacheVersions.kafka ??= choice.version;
      }
    }
  }
  if (!sel.reference && !sel.apache) throw new UsageError('KZ_IMPL_INVALID', '--impl needs reference, apache, or both');
  return sel;
}

export function parseThresholds(texts: readonly string[]): Threshold[] {
  return texts.map(parseThreshold);
}
