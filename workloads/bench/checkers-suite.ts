import type { Logger } from '../../common/logger.js';
import { formatCount } from '../../reports/number-format.js';
import type { BenchPage } from './bench-page.js';
import { svgLineChart, type SvgSeries } from './svg-line-chart.js';

/** One checker measurement, whichever benchmark function produced it. */
export interface CheckerScalingRow {
  checker: string;
  /** Client ops (linearizability, Kafka) or transactions (Elle) in the history. */
  size: number;
  unit: string;
  concurrency: number;
  faults: string;
  /** Wall-clock ms of one check (the median when several histories were checked). */
  ms: number;
  cpuMs: number;
  /** How many histories the time summarises. */
  histories: number;
  verdicts: string;
  note?: string;
}

/**
 * The checker engineers' benchmark functions, loaded by path at run time so that a missing
 * one is reported as "not available" rather than breaking the build.
 */
const sources = [
  { file: './checkers-linearizability.js', fn: 'benchmarkLinearizability', label: 'linearizability (Knossos-style search)' },
  { file: './checkers-elle.js', fn: 'benchmarkElle', label: 'Elle list-append' },
  { file: './checkers-kafka.js', fn: 'benchmarkKafkaChecker', label: 'Kafka queue' },
] as const;

type BenchmarkFn = (opts: { quick?: boolean }) => Promise<unknown[]>;

interface LinearizabilityFigure {
  model: string;
  ops: number;
  concurrency: number;
  faults: string;
  histories: number;
  medianMs: number;
  medianCpuMs: number;
  verdicts: { valid: number; invalid: number; unknown: number };
}

interface CheckerFigure {
  checker: string;
  size: number;
  concurrency: number;
  faults: string;
  elapsedMs: number;
  cpuMs: number;
  verdict: boolean | 'unknown';
  anomalyTypes: string[];
  note?: string;
}

function rowsOf(label: string, figures: unknown[]): CheckerScalingRow[] {
  return figures.map((raw) => {
    if (typeof raw === 'object' && raw !== null && 'medianMs' in raw) {
      const f = raw as LinearizabilityFigure;
      const v = f.verdicts;
      return {
        checker: `linearizability ${f.model}`,
        size: f.ops,
        unit: 'ops',
        concurrency: f.concurrency,
        faults: f.faults,
        ms: f.medianMs,
        cpuMs: f.medianCpuMs,
        histories: f.histories,
        verdicts: `${v.valid} valid, ${v.invalid} invalid, ${v.unknown} unknown`,
      };
    }
    const f = raw as CheckerFigure;
    return {
      checker: f.checker ?? label,
      size: f.size,
      unit: label.startsWith('Elle') ? 'transactions' : 'ops',
      concurrency: f.concurrency,
      faults: f.faults,
      ms: f.elapsedMs,
      cpuMs: f.cpuMs,
      histories: 1,
      verdicts: f.note ? 'skipped' : `${f.verdict === true ? 'valid' : f.verdict === false ? `invalid (${f.anomalyTypes.join(', ')})` : 'unknown'}`,
      ...(f.note ? { note: f.note } : {}),
    };
  });
}

/**
 * The checkers suite: runs each checker's benchmark function (seeded generated histories,
 * correct ones and ones with a planted fault) and plots how checking time grows with history
 * length and with concurrency.
 */
export async function runCheckersSuite(opts: { quick: boolean; log: Logger }): Promise<BenchPage> {
  const rows: CheckerScalingRow[] = [];
  const notes: string[] = [];
  for (const s of sources) {
    let fn: BenchmarkFn | undefined;
    try {
      const mod = (await import(new URL(s.file, import.meta.url).href)) as Record<string, unknown>;
      fn = typeof mod[s.fn] === 'function' ? (mod[s.fn] as BenchmarkFn) : undefined;
    } catch {
      fn = undefined;
    }
    if (!fn) {
      notes.push(`${s.label}: not available (workloads/bench/${s.file.slice(2).replace(/\.js$/, '.ts')} with ${s.fn}() is not in this build)`);
      opts.log.warn(`checkers: ${s.label} benchmark not available`);
      continue;
    }
    opts.log.info(`checkers: ${s.label}${opts.quick ? ' (quick)' : ''}`);
    const started = Date.now();
    try {
      rows.push(...rowsOf(s.label, await fn({ quick: opts.quick })));
    } catch (err) {
      notes.push(`${s.label}: the benchmark failed: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    opts.log.info(`checkers: ${s.label} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  for (const r of rows.filter((x) => x.note)) notes.push(`${r.checker} ${formatCount(r.size)} ${r.unit}: ${r.note}`);
  const measured = rows.filter((r) => !r.note);
  const checkers = [...new Set(measured.map((r) => r.checker))];
  return {
    suite: 'checkers',
    name: 'checkers',
    title: 'Checkers: checking time by history length and concurrency',
    summary: `${checkers.length} checkers, ${measured.length} measurements${notes.length > 0 ? `; ${notes.length} note(s)` : ''}`,
    intro:
      'Each row checks seeded generated histories (correct ones, and ones with a planted fault where the faults column says so) with the checker named. Time is wall clock of the check alone (generation excluded), the median over the histories when several were checked; CPU time is less sensitive to a busy machine.',
    notes,
    tables: checkers.map((checker) => ({
      heading: checker,
      columns: ['size', 'concurrency', 'faults', 'time', 'CPU', 'histories', 'verdicts'],
      textColumns: [2, 6],
      rows: measured
        .filter((r) => r.checker === checker)
        .map((r) => [`${formatCount(r.size)} ${r.unit}`, String(r.concurrency), r.faults, formatMs(r.ms), formatMs(r.cpuMs), String(r.histories), r.verdicts]),
    })),
    charts: scalingCharts(measured),
    figures: rows,
    settings: { quick: opts.quick, heapLimit: 'node default unless --max-old-space-size is given (1M-transaction cases need 4 GB)' },
    benchmarkAction: {
      biggerIsBetter: [],
      smallerIsBetter: measured.map((r) => ({ name: `checkers: ${r.checker} ${r.size} ${r.unit} c=${r.concurrency} faults=${r.faults}`, unit: 'ms', value: r.ms })),
    },
  };
}

function formatMs(ms: number): string {
  return ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : ms < 1000 ? `${ms.toPrecision(3)} ms` : `${(ms / 1000).toPrecision(3)} s`;
}

/** Time against size (one line per checker × concurrency) and against concurrency (per checker × size); fault-free rows only. */
function scalingCharts(rows: readonly CheckerScalingRow[]): string[] {
  const clean = rows.filter((r) => r.faults === 'none');
  const bySize = new Map<string, SvgSeries>();
  const byConcurrency = new Map<string, SvgSeries>();
  for (const r of clean) {
    const a = `${r.checker}, ${r.concurrency} clients`;
    if (!bySize.has(a)) bySize.set(a, { label: a, points: [] });
    bySize.get(a)!.points.push({ x: r.size, y: r.ms });
    const b = `${r.checker}, ${formatCount(r.size)} ${r.unit}`;
    if (!byConcurrency.has(b)) byConcurrency.set(b, { label: b, points: [] });
    byConcurrency.get(b)!.points.push({ x: r.concurrency, y: r.ms });
  }
  const lines = (m: Map<string, SvgSeries>) => [...m.values()].filter((s) => new Set(s.points.map((p) => p.x)).size > 1);
  return [
    svgLineChart({ title: 'Checking time by history length', xLabel: 'history length (ops or transactions)', yLabel: 'time per check', series: lines(bySize), logX: true, logY: true, formatX: (v) => formatCount(v), formatY: formatMs }),
    svgLineChart({ title: 'Checking time by concurrency', xLabel: 'concurrent clients', yLabel: 'time per check', series: lines(byConcurrency), logX: true, logY: true, formatX: (v) => formatCount(v), formatY: formatMs }),
  ];
}
