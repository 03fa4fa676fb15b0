import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../common/errors.js';
import { createLogger, type Logger } from '../../common/logger.js';
import { MATCHED_ZOOKEEPER_VERSION, startZooKeeperServer } from '../../servers/zookeeper/index.js';
import { formatOutcome, formatSummary } from '../../workloads/conformance/conformance-output.js';
import { nameFilter } from '../../workloads/conformance/name-filter.js';
import { defaultScenarioDirectory } from '../../workloads/conformance/scenario-directory.js';
import { reportExitCode, runSuite } from '../../workloads/conformance/suite-runner.js';
import { parseTargetSpec, startTarget, targetSpecLabel, type StartedTarget, type TargetSpec } from '../../workloads/conformance/target-spec.js';
import {
  TICK_TIME_MS,
  conformanceZooCfg,
  loadScenarioDirectory,
  prepareZooKeeperTarget,
  startApacheZooKeeper,
  zooKeeperSuite,
  type Capability,
} from '../../workloads/conformance/zookeeper/index.js';
import type { CommandContext } from '../command-context.js';

interface ConformanceOptions {
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
    .argument('<system>', 'zookeeper | kafka')
    .option('--target <target>', 'target.json | reference | apache[:VERSION] (started and stopped by the run)')
    .option('--diff <target>', 'second target: run every scenario on both and compare normalised responses')
    .option('--filter <globs>', 'only scenarios whose name matches (comma-separated globs, e.g. "watches/*,multi/*")')
    .option('--scenarios <dir>', 'scenario directory (default: the suite shipped with kzbench)')
    .option('--json', 'print the report as JSON on stdout')
    .action(async (system: string, opts: ConformanceOptions) => {
      process.exitCode = await runConformance(system, opts, log.child('conformance'));
    });
}

async function runConformance(system: string, opts: ConformanceOptions, log: Logger): Promise<number> {
  if (system === 'kafka') throw new UsageError('KZ_CONFORMANCE_NO_SUITE', 'there is no Kafka scenario suite yet; run kzbench conformance zookeeper');
  if (system !== 'zookeeper') throw new UsageError('KZ_SYSTEM_INVALID', `the system must be 'zookeeper' or 'kafka', not '${system}'`);
  if (opts.target === undefined) throw new UsageError('KZ_TARGET_MISSING', '--target is required: a target.json, reference, or apache[:VERSION]');
  const specs: TargetSpec[] = [parseTargetSpec(opts.target)];
  if (opts.diff !== undefined) specs.push(parseTargetSpec(opts.diff, '--diff'));

  const dir = opts.scenarios ?? defaultScenarioDirectory(system);
  const matches = nameFilter(opts.filter);
  const scenarios = (await loadScenarioDirectory(dir)).filter((s) => matches(s.name));
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
      started.push(await startTarget(spec, 'zookeeper', { reference: () => startReferenceZooKeeper(), apache: (v) => startApacheZooKeeper(v, log) }));
    }
    const configured = new Set<Capability>(['extendedTypes', 'superDigest', 'fourLetterWhitelist']);
    const targets = await Promise.all(
      started.map((s, i) => prepareZooKeeperTarget(targetSpecLabel(specs[i]!), s.target, s.configured ? configured : undefined)),
    );
    const labels = targets.map((t) => t.label);
    log.info(`running ${scenarios.length} scenario(s) on ${targets.map((t) => `${t.label} (${t.version})`).join(' and ')}`);
    const color = !opts.json && process.stdout.isTTY === true;
    const report = await runSuite({
      suite: zooKeeperSuite,
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
  const dataDir = await mkdtemp(join(tmpdir(), 'kzbench-conformance-reference-'));
  const systemProperties = Object.fromEntries(Object.entries(conformanceZooCfg).map(([k, v]) => [`zookeeper.${k}`, v]));
  try {
    // Its own logger at warn: per-session info lines would drown the scenario results.
    const serverLog = createLogger({ level: process.env.KZBENCH_LOG_LEVEL === 'debug' ? 'debug' : 'warn', scope: 'reference' });
    const server = await startZooKeeperServer({ dataDir, port: 0, tickTime: TICK_TIME_MS, systemProperties, log: serverLog });
    return {
      target: { system: 'zookeeper', impl: 'reference', version: MATCHED_ZOOKEEPER_VERSION, launcher: 'embedded', nodes: [{ id: 1, host: '127.0.0.1', port: server.port }] },
      configured: true,
      stop: async () => {
        await server.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
}
