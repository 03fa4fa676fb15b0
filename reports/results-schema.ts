import { z } from 'zod';
import type { Anomaly, CheckResult } from '../checkers/checker.js';

/**
 * `results.json` (DESIGN.md "Formats"): everything one run measured and judged. The HTML
 * report is rendered from this file alone, so it carries the resolved configuration and the
 * environment next to the numbers.
 *
 * Units: latencies are integer **microseconds** (HdrHistogram records integers; µs resolves
 * loopback round trips and reaches hours). Times on the run's time line are **seconds since
 * the run started** (warm-up included), the same origin as `history.jsonl` (ns there).
 */
export const resultsFormat = 'kzbench.results';
export const resultsVersion = 1;

const count = z.number().int().nonnegative();
// zod 4 numbers already reject NaN and ±Infinity.
const nonNegative = z.number().nonnegative();
const positive = z.number().positive();
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const LatencyUnitSchema = z.literal('us');

/** Quantiles of one latency histogram, in µs. */
export const LatencyQuantilesSchema = z.object({
  count,
  mean: nonNegative,
  p50: nonNegative,
  p90: nonNegative,
  p99: nonNegative,
  p99_9: nonNegative,
  p99_99: nonNegative,
  max: nonNegative,
});

/** A whole-run latency histogram: quantiles plus the histogram itself. */
export const LatencyStatsSchema = LatencyQuantilesSchema.extend({
  /** HdrHistogram V2 compressed, base64 ("HISTF…"), values in µs: re-plot it in any HdrHistogram tool. */
  histogram: z.string().regex(/^HIST[A-Za-z0-9+/=]+$/, 'must be a base64 HdrHistogram (encodeIntoCompressedBase64)'),
});

/** Per-interval quantiles for the time series (µs). */
export const IntervalQuantilesSchema = z.object({
  count,
  p50: nonNegative,
  p90: nonNegative,
  p99: nonNegative,
  max: nonNegative,
});

export const IntervalPointSchema = z.object({
  /** Interval start, seconds since the run started. */
  t: nonNegative,
  ok: count,
  fail: count,
  info: count,
  dropped: count,
  /** Null when nothing completed in the interval (or in closed loop for `intended`). */
  intended: IntervalQuantilesSchema.nullable(),
  service: IntervalQuantilesSchema.nullable(),
});

export const CountsSchema = z.object({ ok: count, fail: count, info: count, dropped: count });

export const LoadModeSchema = z.enum(['open', 'closed']);

/** One implementation × client × operation kind. */
export const RunResultSchema = z.object({
  /** Unique within the file: `implementation / client / op`. */
  id: z.string().min(1),
  implementation: z.string().min(1),
  client: z.string().min(1),
  op: z.string().min(1),
  mode: LoadModeSchema,
  /** Length of the measurement window in seconds (warm-up excluded). */
  measuredSeconds: positive,
  counts: CountsSchema,
  throughput: z.object({
    /** `ok` ops whose start fell in the measurement window, per second of that window. */
    okPerSecond: nonNegative,
    /** All completed ops (ok + fail + info) per second. */
    completedPerSecond: nonNegative,
  }),
  latency: z.object({
    unit: LatencyUnitSchema,
    /** Completion − intended start (open loop). Null in closed loop, where there is no schedule. */
    intended: LatencyStatsSchema.nullable(),
    /** Completion − actual send. */
    service: LatencyStatsSchema,
    /** Actual send − intended start: how late the generator (or a client queue) started ops. */
    startDelay: LatencyStatsSchema.nullable().optional(),
  }),
  intervalSeconds: positive,
  series: z.array(IntervalPointSchema),
  /** Per-repetition figures when the measurement was repeated (medians feed comparisons). */
  repetitions: z
    .array(z.object({ okPerSecond: nonNegative, p50: nonNegative, p99: nonNegative }))
    .optional(),
});

export const ClientSettingsSchema = z
  .object({
    batching: scalar.optional(),
    acks: scalar.optional(),
    fsync: scalar.optional(),
  })
  .catchall(scalar);

export const RunConfigSchema = z.object({
  workload: z.string().min(1),
  mode: LoadModeSchema,
  /** Target ops/s over all workers (open loop); null in closed loop. */
  rate: nonNegative.nullable(),
  arrival: z.enum(['uniform', 'poisson']).nullable(),
  seed: z.number().int().nullable().optional(),
  durationSeconds: nonNegative,
  warmupSeconds: nonNegative,
  /** Client instances (processes' clients). */
  clients: count,
  /** TCP connections to the target. */
  connections: count,
  /** Bound on operations in flight (open loop) or number of workers (closed loop). */
  inFlight: count,
  /** Client settings that change the numbers: batching, acks, fsync, linger, ... */
  settings: ClientSettingsSchema,
  target: z
    .object({
      system: z.string().optional(),
      impl: z.string().optional(),
      version: z.string().optional(),
      nodes: count.optional(),
    })
    .optional(),
  nemesis: z.array(z.string()).optional(),
  injectBug: z.string().nullable().optional(),
  /** Anything else the workload resolved (keys, value sizes, op mix, ...). */
  extra: z.record(z.string(), z.unknown()).optional(),
});

export const ImplementationVersionSchema = z.object({
  name: z.string(),
  version: z.string(),
  system: z.string().optional(),
});

export const EnvironmentSchema = z.object({
  hostname: z.string().optional(),
  cpu: z.object({ model: z.string(), count: count, speedMHz: nonNegative.optional() }),
  memoryBytes: nonNegative,
  os: z.object({ platform: z.string(), release: z.string(), arch: z.string(), type: z.string().optional() }),
  node: z.string(),
  /** `java -version` first line when a JVM took part, else null. */
  java: z.string().nullable(),
  kzbench: z.string().optional(),
  implementations: z.array(ImplementationVersionSchema),
  /** 1, 5 and 15 minute load averages when the run began: a shared, busy machine explains noisy numbers. */
  loadAverage: z.array(nonNegative).length(3).optional(),
});

export const ComparisonMetricSchema = z.enum(['okPerSecond', 'p50', 'p90', 'p99', 'p99_9', 'p99_99', 'max']);

/** A ratio between two runs of the same operation measured together. */
export const ComparisonSchema = z.object({
  op: z.string(),
  metric: ComparisonMetricSchema,
  /** For latency metrics: which histogram. */
  latency: z.enum(['intended', 'service']).nullable(),
  /** What differs between the two runs. */
  axis: z.enum(['implementation', 'client', 'results']),
  baseline: z.string(),
  candidate: z.string(),
  baselineValue: nonNegative,
  candidateValue: nonNegative,
  /** candidate / baseline; null when the baseline is 0. */
  ratio: nonNegative.nullable(),
  biggerIsBetter: z.boolean(),
  better: z.enum(['baseline', 'candidate', 'equal']),
});

const AnomalySchema = z.object({
  type: z.string(),
  explanation: z.string(),
  ops: z.array(z.number().int()).optional(),
  data: z.unknown().optional(),
});

/** checkers/checker.ts `CheckResult`, as stored. */
export const CheckResultSchema = z.object({
  checker: z.string(),
  model: z.string(),
  valid: z.union([z.literal(true), z.literal(false), z.literal('unknown')]),
  anomalyTypes: z.array(z.string()),
  anomalies: z.array(AnomalySchema),
  summary: z.string(),
  stats: z.record(z.string(), z.number()).optional(),
  details: z.unknown().optional(),
});

export const NemesisIntervalSchema = z.object({
  fault: z.string(),
  /** Seconds since the run started. */
  start: nonNegative,
  /** Null when the fault was still active when the run ended. */
  end: nonNegative.nullable(),
  nodes: z.array(z.string()),
});

export const HistoryRefSchema = z.object({
  /** Path relative to the results directory. */
  file: z.string(),
  ops: count,
  bytes: count.optional(),
});

export const ResultsSchema = z
  .object({
    format: z.literal(resultsFormat),
    version: z.literal(resultsVersion),
    title: z.string(),
    /** ISO 8601. */
    createdAt: z.string(),
    config: RunConfigSchema,
    environment: EnvironmentSchema,
    runs: z.array(RunResultSchema),
    comparisons: z.array(ComparisonSchema),
    checks: z.array(CheckResultSchema),
    nemesis: z.array(NemesisIntervalSchema),
    history: HistoryRefSchema.nullable(),
    /** Warnings a reader must see next to the numbers (dropped ops, drain timeouts, ...). */
    notes: z.array(z.string()),
  })
  .superRefine((results, ctx) => {
    const ids = new Set<string>();
    results.runs.forEach((run, i) => {
      if (ids.has(run.id)) ctx.addIssue({ code: 'custom', path: ['runs', i, 'id'], message: `duplicate run id '${run.id}'` });
      ids.add(run.id);
    });
    results.comparisons.forEach((c, i) => {
      for (const side of ['baseline', 'candidate'] as const) {
        if (c.axis !== 'results' && !ids.has(c[side])) {
          ctx.addIssue({ code: 'custom', path: ['comparisons', i, side], message: `unknown run id '${c[side]}'` });
        }
      }
    });
  });

export type LatencyQuantiles = z.infer<typeof LatencyQuantilesSchema>;
export type LatencyStats = z.infer<typeof LatencyStatsSchema>;
export type IntervalQuantiles = z.infer<typeof IntervalQuantilesSchema>;
export type IntervalPoint = z.infer<typeof IntervalPointSchema>;
export type Counts = z.infer<typeof CountsSchema>;
export type LoadMode = z.infer<typeof LoadModeSchema>;
export type RunResult = z.infer<typeof RunResultSchema>;
export type ClientSettings = z.infer<typeof ClientSettingsSchema>;
export type RunConfig = z.infer<typeof RunConfigSchema>;
export type ImplementationVersion = z.infer<typeof ImplementationVersionSchema>;
export type Environment = z.infer<typeof EnvironmentSchema>;
export type ComparisonMetric = z.infer<typeof ComparisonMetricSchema>;
export type Comparison = z.infer<typeof ComparisonSchema>;
export type NemesisInterval = z.infer<typeof NemesisIntervalSchema>;
export type HistoryRef = z.infer<typeof HistoryRefSchema>;
export type Results = z.infer<typeof ResultsSchema>;

// The stored verdicts stay interchangeable with the checkers' own type, both ways.
type StoredCheck = z.infer<typeof CheckResultSchema>;
const _checkerToStored = (c: CheckResult): StoredCheck => c;
const _storedToChecker = (c: StoredCheck): CheckResult => c;
const _anomaly = (a: Anomaly): z.infer<typeof AnomalySchema> => a;
void _checkerToStored;
void _storedToChecker;
void _anomaly;
