import { defaultTiming, parseImpls, parseSuites, parseThresholds, quickTiming, suiteNames, defaultSuites } from '../../workloads/bench/bench-options.js';
import { runBench } from '../../workloads/bench/bench-run.js';
import { benchSummaryText } from '../../workloads/bench/bench-summary.js';
import { collect, nonNegativeNumber, positiveInt, positiveNumber } from '../../workloads/bench/option-values.js';
import type { CommandContext } from '../command-context.js';

interface BenchFlags {
  suite?: string;
  impl?: string;
  apacheZookeeper?: string;
  apacheKafka?: string;
  quick?: boolean;
  out: string;
  threshold: string[];
  duration?: string;
  warmup?: string;
  repeat?: string;
  zookeeperRate: string;
  kafkaRate: string;
  json?: boolean;
}

export function registerBench({ program, log }: CommandContext): void {
  program
    .command('bench')
    .description('hot-path comparison across implementations (ratios, latency percentiles); writes reports/out/')
    .option('--suite <suites>', `comma-separated: ${suiteNames.join(' | ')} | all (default: ${defaultSuites.join(',')})`)
    .option('--impl <impls>', 'comma-separated: reference,apache[:VERSION] (default: both; Apache is skipped with a note when it cannot be provisioned)')
    .option('--apache-zookeeper <version>', 'Apache ZooKeeper version (default: the launcher default, 3.9.x)')
    .option('--apache-kafka <version>', 'Apache Kafka version (default: the launcher default)')
    .option('--quick', 'a smaller matrix, one short repetition each: the default suites in under 2 minutes')
    .option('--out <dir>', 'output directory', 'reports/out')
    .option('--threshold <expr>', 'fail (exit 4) when breached, e.g. zookeeper.create.throughput.reference>1000 (repeatable)', collect, [])
    .option('--duration <s>', 'measured seconds per run (overrides --quick / default)')
    .option('--warmup <s>', 'warm-up seconds per run')
    .option('--repeat <n>', 'repetitions per measurement (medians and spread)')
    .option('--zookeeper-rate <ops>', 'open-loop rate of the ZooKeeper latency runs (lowered to half the slowest capacity)', '2000')
    .option('--kafka-rate <records>', 'open-loop rate of the Kafka latency runs, records/s', '10000')
    .option('--json', 'print paths, figures and threshold outcomes as JSON on stdout')
    .action(async (flags: BenchFlags) => {
      const quick = flags.quick ?? false;
      const base = quick ? quickTiming : defaultTiming;
      const timing = {
        serverWarmupSeconds: base.serverWarmupSeconds,
        warmupSeconds: flags.warmup === undefined ? base.warmupSeconds : nonNegativeNumber('--warmup', flags.warmup),
        durationSeconds: flags.duration === undefined ? base.durationSeconds : positiveNumber('--duration', flags.duration),
        repetitions: flags.repeat === undefined ? base.repetitions : positiveInt('--repeat', flags.repeat),
      };
      const stop = new AbortController();
      const onSignal = () => {
        log.warn('interrupted: finishing the current measurement, then stopping the servers');
        stop.abort();
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        const outcome = await runBench({
          suites: parseSuites(flags.suite),
          impls: parseImpls(flags.impl, { zookeeper: flags.apacheZookeeper, kafka: flags.apacheKafka }),
          quick,
          timing,
          outDir: flags.out,
          thresholds: parseThresholds(flags.threshold),
          zookeeperRate: positiveNumber('--zookeeper-rate', flags.zookeeperRate),
          kafkaRate: positiveNumber('--kafka-rate', flags.kafkaRate),
          log,
          signal: stop.signal,
        });
        if (flags.json) {
          process.stdout.write(
            `${JSON.stringify(
              {
                index: outcome.index,
                benchmarkAction: outcome.benchmarkAction,
                suites: outcome.outputs.map((o) => ({ suite: o.suite, name: o.name, title: o.results.title, runs: o.results.runs.map((r) => ({ id: r.id, mode: r.mode, okPerSecond: r.throughput.okPerSecond, counts: r.counts, latency: r.latency.intended ?? r.latency.service, repetitions: r.repetitions })), comparisons: o.results.comparisons, extra: o.results.config.extra, notes: o.results.notes })),
                pages: outcome.pages.map((p) => ({ name: p.name, report: p.reportPath, figures: p.figuresPath, summary: p.summary })),
                thresholds: outcome.thresholds.map((t) => ({ threshold: t.threshold.text, value: t.value, passed: t.passed, detail: t.detail })),
                exitCode: outcome.exitCode,
              },
              (key, value: unknown) => (key === 'histogram' ? undefined : value),
              2,
            )}\n`,
          );
        } else {
          process.stdout.write(`${benchSummaryText(outcome.outputs, outcome.thresholds, outcome.index, outcome.pages)}\n`);
        }
        for (const t of outcome.thresholds) if (t.passed === false) log.error(`threshold breached: ${t.threshold.text} (${t.detail})`);
        process.exitCode = outcome.exitCode;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
