import { UsageError } from '../../common/errors.js';
import { createLogger, type Logger } from '../../common/logger.js';
import { MATCHED_ZOOKEEPER_VERSION, startZooKeeperServer } from '../../servers/zookeeper/index.js';
import { formatOutcome, formatSummary } from '../../workloads/conformance/conformance-output.js';
import { nameFilter } from '../../workloads/conformance/name-filter.js';
import { defaultScenarioDirectory } from '../../workloads/conformance/scenario-directory.js';
import { reportExitCode, runSuite, type ConformanceSuite, type NamedScenario } from '../../workloads/conformance/suite-runner.js';
import { parseTargetSpec, startTarget, targetSpecLabel, type StartedTarget, type TargetSpec } from '../../workloads/conformance/target-spec.js';
import { startInTempDir } from '../../workloads/conformance/temp-dir-target.js';
import {
  TICK_TIME_MS,
  conformanceZooCfg,
  loadScenarioDirectory,
  prepareZooKeeperTarget,
  startApacheZooKeeper,
  zooKeeperSuite,
  type Capability,
  type LoadedScenario,
  type ZooKeeperTarget,
} from '../../workloads/conformance/zookeeper/index.js';
import {
  REFERENCE_KAFKA_MATCHES,
  conformanceBrokerProperties,
  kafkaSuite,
  loadKafkaScenarioDirectory,
  alignKafkaTargets,
  prepareKafkaTarget,
  startApacheKafka,
  type KafkaTarget,
  type LoadedKafkaScenario,
} from '../../workloads/conformance/kafka/index.js';
import { apiVersionsForRelease } from '../../protocols/kafka/release-versions.js';
import { startKafkaBroker } from '../../servers/kafka/kafka-broker.js';
import type { CommandContext } from '../command-context.js';
import { formatJepsenOutcomes, runJepsenProfile, selectJepsenCases } from '../../workloads/nemesis/jepsen-profile.js';

interface ConformanceOptions {
  jepsen?: boolean;
  out?: string;
  target?: string;
  diff?: string;
  filter?: string;
  json?: boolean;
  scenarios?: string;
}

export function registerConformance({ program, log }: CommandContext): void {
  program
    .command('conformance')
    .description('scenario suite against a target, or differential against a second (exit 3 when a scenario fails)')
    .argument('[system]', 'zookeeper | kafka (with --jepsen: both when omitted)')
    .option('--target <target>', 'target.json | reference[:KAFKA_RELEASE] | apache[:VERSION] (started and stopped by the run)')
    .option('--diff <target>', 'second target: run every scenario on both and compare normalised responses')
    .option('--filter <globs>', 'only scenarios whose name matches (comma-separated globs, e.g. "watches/*,multi/*")')
    .option('--scenarios <dir>', 'scenario directory (default: the suite shipped with kzbench)')
    .option('--json', 'print the report as JSON on stdout')
    .option('--jepsen', 'the quick Jepsen profile instead: short runs with faults and seeded bugs, each judged against its expected verdict (workloads/nemesis)')
    .option('--out <dir>', 'with --jepsen: where each run writes its results (default .kzbench/jepsen-<time>)')
    .action(async (system: string | undefined, opts: ConformanceOptions) => {
      if (opts.jepsen) {
        process.exitCode = await runJepsenProfileCommand(system, opts, log.child('jepsen'));
        return;
      }
      if (system === undefined) throw new UsageError('KZ_USAGE', 'kzbench conformance needs a system: zookeeper or kafka');
      process.exitCode = await runConformance(system, opts, log.child('conformance'));
    });
}

/** `--jepsen`: the nemesis engineer's profile (workloads/nemesis/jepsen-profile.ts), one `kzbench run` per case. */
async function runJepsenProfileCommand(system: string | undefined, opts: ConformanceOptions, log: Logger): Promise<number> {
  const cases = selectJepsenCases(system, opts.target);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  try {
    const outDir = opts.out ?? `.kzbench/jepsen-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')}`;
    log.info(`${cases.length} Jepsen case(s); results under ${outDir}`);
    const { outcomes, exitCode } = await runJepsenProfile({ system: system as 'zookeeper' | 'kafka' | undefined, target: opts.target as 'reference' | 'apache' | undefined, outDir, log, signal: stop.signal });
    process.stdout.write(opts.json ? `${JSON.stringify({ outcomes, exitCode }, null, 2)}\n` : `${formatJepsenOutcomes(outcomes)}\n`);
    return exitCode;
  } finally {
    process.off('SIGINT', onSignal);
  }
}

/** What the command needs from a system's suite: its scenarios, how to start and prepare targets, the suite itself. */
interface SystemWiring<S extends NamedScenario, T> {
  suite: ConformanceSuite<S, T>;
  loadScenarios(dir: string): Promise<S[]>;
  startReference(release: string | undefined): Promise<StartedTarget>;
  startApache(version: string | undefined, log: Logger): Promise<StartedTarget>;
  /** `label` as given on the command line; `configured` when the runner started the target with its own settings. */
  prepare(label: string, started: StartedTarget): Promise<T>;
  versionOf(target: T): string;
  /** Diff mode: make the two targets comparable before the run (Kafka: ask both the same API versions). */
  align?(targets: [T, T]): [T, T];
}

const zooKeeperWiring: SystemWiring<LoadedScenario, ZooKeeperTarget> = {
  suite: zooKeeperSuite,
  loadScenarios: loadScenarioDirectory,
  startReference: (release) => {
    if (release !== undefined) throw new UsageError('KZ_TARGET_INVALID', `reference:${release}: the reference ZooKeeper matches Apache ${MATCHED_ZOOKEEPER_VERSION} only; give plain 'reference'`);
    return startReferenceZooKeeper();
  },
  startApache: startApacheZooKeeper,
  prepare: (label, s) => prepareZooKeeperTarget(label, s.target, s.configured ? new Set<Capability>(['extendedTypes', 'superDigest', 'fourLetterWhitelist']) : undefined),
  versionOf: (t) => t.version,
};

const kafkaWiring: SystemWiring<LoadedKafkaScenario, KafkaTarget> = {
  suite: kafkaSuite,
  loadScenarios: loadKafkaScenarioDirectory,
  startReference: (release) => startReferenceKafka(release),
  startApache: startApacheKafka,
  prepare: (label, s) => prepareKafkaTarget(label, s.target),
  versionOf: (t) => t.version,
  align: alignKafkaTargets,
};

async function runConformance(system: string, opts: ConformanceOptions, log: Logger): Promise<number> {
  if (system === 'zookeeper') return runSystem(system, zooKeeperWiring, opts, log);
  if (system === 'kafka') return runSystem(system, kafkaWiring, opts, log);
  throw new UsageError('KZ_SYSTEM_INVALID', `the system must be 'zookeeper' or 'kafka', not '${system}'`);
}

async function runSystem<S extends NamedScenario, T>(system: 'zookeeper' | 'kafka', wiring: SystemWiring<S, T>, opts: ConformanceOptions, log: Logger): Promise<number> {
  if (opts.target === undefined) throw new UsageError('KZ_TARGET_MISSING', '--target is required: a target.json, reference, or apache[:VERSION]');
  const specs: TargetSpec[] = [parseTargetSpec(opts.target)];
  if (opts.diff !== undefined) specs.push(parseTargetSpec(opts.diff, '--diff'));

  const dir = opts.scenarios ?? defaultScenarioDirectory(system);
  const matches = nameFilter(opts.filter);
  const scenarios = (await wiring.loadScenarios(dir)).filter((s) => matches(s.name));
  if (scenarios.length === 0) throw new UsageError('KZ_FILTER_EMPTY', `no scenario in ${dir} matches --filter ${opts.filter}`);

  const started: StartedTarget[] = [];
  // Apache servers run as detached processes: an interrupted run must still stop them.
  const stopAll = async () => {
    for (const s of started.splice(0).reverse()) await s.stop().catch((e: Error) => log.warn(`stopping a target: ${e.message}`));
  };
  const onSignal = (signal: NodeJS.Signals) => {
    log.warn(`${signal}: stopping the targets this run started`);
    void stopAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    for (const spec of specs) {
      log.info(`starting ${targetSpecLabel(spec)}`);
      started.push(await startTarget(spec, system, { reference: (release) => wiring.startReference(release), apache: (v) => wiring.startApache(v, log) }));
    }
    let targets: T[] = await Promise.all(started.map((s, i) => wiring.prepare(targetSpecLabel(specs[i]!), s)));
    if (targets.length === 2 && wiring.align) targets = wiring.align([targets[0]!, targets[1]!]);
    const labels = specs.map((s) => targetSpecLabel(s));
    log.info(`running ${scenarios.length} scenario(s) on ${targets.map((t, i) => `${labels[i]} (${wiring.versionOf(t)})`).join(' and ')}`);
    const color = !opts.json && process.stdout.isTTY === true;
    const report = await runSuite({
      suite: wiring.suite,
      scenarios,
      targets: targets.length === 2 ? [targets[0]!, targets[1]!] : [targets[0]!],
      onOutcome: (outcome) => {
        if (!opts.json) process.stdout.write(formatOutcome(outcome, labels, { color }) + '\n');
      },
    });
    if (opts.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    else process.stdout.write(formatSummary(report) + '\n');
    return reportExitCode(report);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stopAll();
  }
}

/**
 * The reference server in this process, configured like the Apache targets (same tickTime,
 * same conformance settings as system properties: unknown zoo.cfg keys become
 * `zookeeper.<key>` properties in both).
 */
async function startReferenceZooKeeper(): Promise<StartedTarget> {
  const systemProperties = Object.fromEntries(Object.entries(conformanceZooCfg).map(([k, v]) => [`zookeeper.${k}`, v]));
  return startInTempDir('kzbench-conformance-reference-', async (dataDir) => {
    const server = await startZooKeeperServer({ dataDir, port: 0, tickTime: TICK_TIME_MS, systemProperties, log: referenceLogger() });
    return {
      target: { system: 'zookeeper', impl: 'reference', version: MATCHED_ZOOKEEPER_VERSION, launcher: 'embedded', nodes: [{ id: 1, host: '127.0.0.1', port: server.port }] },
      stop: () => server.close(),
    };
  });
}

/**
 * The reference broker in this process, configured as the launcher configures a one-node
 * Apache cluster; it reports the Apache release it matches as its version, or with `release`
 * (`reference:4.1`) behaves as that release (`--as-version`) and reports it, so the
 * version-gated scenarios of that release run.
 */
async function startReferenceKafka(release: string | undefined): Promise<StartedTarget> {
  // An unknown release fails here, before anything starts (KZ_KAFKA_UNKNOWN_RELEASE).
  if (release !== undefined) apiVersionsForRelease(release);
  return startInTempDir('kzbench-conformance-kafka-reference-', async (logDir) => {
    const broker = await startKafkaBroker({ port: 0, logDir, properties: { ...conformanceBrokerProperties }, asVersion: release, logger: referenceLogger() });
    return {
      target: { system: 'kafka', impl: 'reference', version: release === undefined ? REFERENCE_KAFKA_MATCHES : fullRelease(release), launcher: 'embedded', nodes: [{ id: broker.config.nodeId, host: broker.host, port: broker.port }] },
      stop: () => broker.close(),
    };
  });
}

/** A reference server's own logger, at warn: per-session info lines would drown the scenario results. */
function referenceLogger(): Logger {
  return createLogger({ level: process.env.KZBENCH_LOG_LEVEL === 'debug' ? 'debug' : 'warn', scope: 'reference' });
}

/** `4.1` → `4.1.0`: a target's version is a full release, as the version-gated scenarios compare it. */
function fullRelease(release: string): string {
  return /^\d+\.\d+$/.test(release) ? `${release}.0` : release;
}
