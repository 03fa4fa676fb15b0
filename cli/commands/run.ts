import { UsageError } from '../../common/errors.js';
import { formatRate } from '../../reports/number-format.js';
import { collect, commaList, nonNegativeNumber, positiveInt, positiveNumber } from '../../workloads/bench/option-values.js';
import { runsTable, textTable } from '../../workloads/bench/text-table.js';
import { runWorkload } from '../../workloads/bench/workload-run.js';
import { parseNodeCount } from '../../workloads/launchers/cluster-spec.js';
import { plannedWorkloads, registeredWorkloads } from '../../workloads/registry.js';
import { parseParamAssignments } from '../../workloads/workload-params.js';
import { rerunInNetworkSandboxIfNeeded } from '../../workloads/nemesis/sandboxed-run.js';
import type { LoadProgress } from '../../workloads/runner/index.js';
import type { CommandContext } from '../command-context.js';

interface RunFlags {
  list?: boolean;
  target?: string;
  nodes: string;
  rate?: string;
  duration?: string;
  warmup?: string;
  clients?: string;
  inFlight?: string;
  arrival?: string;
  seed?: string;
  set?: string[];
  nemesis?: string;
  injectBug?: string;
  out?: string;
  json?: boolean;
}

export function registerRun({ program, log }: CommandContext): void {
  program
    .command('run')
    .description('run a workload, record history + HDR, check it, write results and report')
    .argument('[workload]', 'workload name (see --list)')
    .option('--list', 'list workloads and their parameters')
    .option('--target <target>', 'target.json | reference | apache[:VERSION] (started and stopped by the run)')
    .option('--nodes <n>', 'nodes for a started target', '1')
    .option('--rate <r>', 'target rate in ops/s: open loop (default: closed loop, flat out)')
    .option('--duration <s>', 'measured seconds (after the warm-up)')
    .option('--warmup <s>', 'warm-up seconds (ops run but are not measured)')
    .option('--clients <c>', 'client connections (sessions / producers)')
    .option('--in-flight <n>', 'ops in flight at most (open loop) / workers (closed loop)')
    .option('--arrival <kind>', 'open loop: uniform | poisson', 'uniform')
    .option('--seed <n>', 'seed for Poisson arrivals', '1')
    .option('--set <name=value>', 'workload parameter (repeatable; see --list)', collect, [])
    .option('--nemesis <faults>', 'kill,pause,partition,... (workloads that support faults)')
    .option('--inject-bug <name>', 'reference targets: break one guarantee on purpose (workloads that support it)')
    .option('--out <dir>', 'output directory (default .kzbench/runs/<workload>-<time>)')
    .option('--json', 'print the output paths and per-run figures as JSON on stdout')
    .action(async (workload: string | undefined, flags: RunFlags) => {
      if (flags.list) {
        process.stdout.write(flags.json ? `${JSON.stringify(workloadList(), null, 2)}\n` : `${workloadListText()}\n`);
        return;
      }
      if (!workload) throw new UsageError('KZ_USAGE', 'kzbench run needs a workload name (kzbench run --list shows them)');
      if (!flags.target) throw new UsageError('KZ_USAGE', 'kzbench run needs --target target.json | reference | apache[:VERSION]');
      if (flags.arrival !== 'uniform' && flags.arrival !== 'poisson') throw new UsageError('KZ_USAGE', `--arrival must be uniform or poisson, not '${flags.arrival}'`);
      // Network faults: the whole run executes again inside a network sandbox (workloads/nemesis).
      const sandboxed = await rerunInNetworkSandboxIfNeeded({ nemesis: flags.nemesis === undefined ? [] : commaList(flags.nemesis), target: flags.target, nodes: parseNodeCount(flags.nodes), log });
      if (sandboxed !== null) {
        process.exitCode = sandboxed;
        return;
      }
      const stop = new AbortController();
      const onSignal = () => {
        log.warn('interrupted: stopping the load, then the target');
        stop.abort();
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        const outcome = await runWorkload({
          workload,
          target: flags.target,
          nodes: parseNodeCount(flags.nodes),
          rate: flags.rate === undefined ? undefined : positiveNumber('--rate', flags.rate),
          arrival: flags.arrival,
          seed: Number.parseInt(flags.seed ?? '1', 10),
          durationSeconds: flags.duration === undefined ? undefined : positiveNumber('--duration', flags.duration),
          warmupSeconds: flags.warmup === undefined ? undefined : nonNegativeNumber('--warmup', flags.warmup),
          clients: flags.clients === undefined ? undefined : positiveInt('--clients', flags.clients),
          inFlight: flags.inFlight === undefined ? undefined : positiveInt('--in-flight', flags.inFlight),
          params: parseParamAssignments(flags.set ?? []),
          nemesis: flags.nemesis === undefined ? [] : commaList(flags.nemesis),
          injectBug: flags.injectBug ?? null,
          outDir: flags.out ?? defaultOutDir(workload),
          log,
          onProgress: progressPrinter(log),
          signal: stop.signal,
        });
        const { results } = outcome;
        for (const check of results.checks) log.info(`check ${check.checker} (${check.model}): ${check.valid === true ? 'valid' : check.valid === false ? 'INVALID' : 'unknown'} - ${check.summary}`);
        for (const note of results.notes) log.warn(note);
        log.info(`wrote ${outcome.resultsPath}, ${outcome.historyPath} and ${outcome.reportPath}`);
        if (flags.json) {
          process.stdout.write(
            `${JSON.stringify(
              {
                results: outcome.resultsPath,
                report: outcome.reportPath,
                history: outcome.historyPath,
                exitCode: outcome.exitCode,
                runs: results.runs.map((r) => ({ id: r.id, mode: r.mode, counts: r.counts, okPerSecond: r.throughput.okPerSecond, latency: r.latency.intended ?? r.latency.service })),
                checks: results.checks.map((c) => ({ checker: c.checker, model: c.model, valid: c.valid })),
              },
              (key, value: unknown) => (key === 'histogram' ? undefined : value),
              2,
            )}\n`,
          );
        } else {
          process.stdout.write(`${runsTable(results)}\n`);
        }
        process.exitCode = outcome.exitCode;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}

function defaultOutDir(workload: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').replace(/\..*$/, '');
  return `.kzbench/runs/${workload}-${stamp}`;
}

/** Once-a-second progress lines on stderr (timestamped off a TTY by the logger). */
function progressPrinter(log: CommandContext['log']): (p: LoadProgress) => void {
  let lastCompleted = 0;
  return (p) => {
    const perSecond = p.completed - lastCompleted;
    lastCompleted = p.completed;
    log.info(
      `t=${p.elapsedSeconds.toFixed(0)}s ${p.warmup ? 'warm-up  ' : 'measuring'} completed ${p.completed} (${formatRate(perSecond)}), in flight ${p.inFlight}, dropped ${p.dropped}`,
    );
  };
}

function workloadList() {
  return [
    ...registeredWorkloads.map((w) => ({
      name: w.name,
      system: w.system,
      available: true,
      description: w.description,
      judgedBy: w.judgedBy,
      defaults: w.defaults,
      params: w.params,
      nemesis: w.nemesis,
      injectBugs: w.injectBugs,
    })),
    ...Object.entries(plannedWorkloads)
      .filter(([name]) => !registeredWorkloads.some((w) => w.name === name))
      .map(([name, p]) => ({ name, system: p.system, available: false, description: p.description })),
  ];
}

function workloadListText(): string {
  const table = textTable(
    ['workload', 'system', 'judged by', 'description'],
    workloadList().map((w) => [w.name, w.system, 'judgedBy' in w ? String(w.judgedBy) : '(not in this build)', w.description]),
    ['left', 'left', 'left', 'left'],
  );
  const params = registeredWorkloads
    .map(
      (w) =>
        `${w.name} parameters (--set name=value):\n${w.params.map((p) => `  ${p.name.padEnd(16)} ${p.description} [default: ${p.default === '' ? 'none' : p.default}]`).join('\n')}` +
        `\n  defaults: ${w.defaults.rate === null ? 'closed loop' : `${w.defaults.rate} ops/s`}, ${w.defaults.durationSeconds} s after ${w.defaults.warmupSeconds} s warm-up, ${w.defaults.clients} client(s), ${w.defaults.inFlight} in flight` +
        `\n  faults: ${w.nemesis.length > 0 ? w.nemesis.join(', ') : 'none (--nemesis refused)'}; bugs: ${w.injectBugs.length > 0 ? w.injectBugs.join(', ') : 'none (--inject-bug refused)'}`,
    )
    .join('\n\n');
  return `${table}\n\n${params}`;
}
