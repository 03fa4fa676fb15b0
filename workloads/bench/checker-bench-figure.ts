import { getHeapStatistics } from 'node:v8';
import type { CheckResult, Validity } from '../../checkers/checker.js';

/** One measured check: a generated history of a given size and concurrency, and what checking it cost. */
export interface CheckerBenchFigure {
  checker: string;
  /** Transactions (Elle) or client operations (Kafka) in the history. */
  size: number;
  concurrency: number;
  /** Lines of the history (invocations and completions). */
  historyOps: number;
  /** What was wrong with the history on purpose, or "none". */
  faults: string;
  /** Wall-clock and CPU time of the check alone (generation excluded). */
  elapsedMs: number;
  cpuMs: number;
  /** Transactions or operations checked per wall-clock second. */
  perSecond: number;
  heapUsedMb: number;
  rssMb: number;
  verdict: Validity;
  anomalyTypes: string[];
  /** Why a size was skipped, when it was. */
  note?: string;
}

export interface CheckerBenchOptions {
  /** A short run (seconds) instead of the full one (minutes, 1M-transaction histories). */
  quick?: boolean;
}

/** Heap the process may grow to, in MB (node --max-old-space-size). */
export function heapLimitMb(): number {
  return Math.round(getHeapStatistics().heap_size_limit / 2 ** 20);
}

/** Times one check; `global.gc` (node --expose-gc) runs first when available so runs start alike. */
export function measureCheck(run: () => CheckResult): { result: CheckResult; elapsedMs: number; cpuMs: number; heapUsedMb: number; rssMb: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = run();
  const elapsedMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const mem = process.memoryUsage();
  return { result, elapsedMs, cpuMs: (used.user + used.system) / 1000, heapUsedMb: Math.round(mem.heapUsed / 2 ** 20), rssMb: Math.round(mem.rss / 2 ** 20) };
}

export function figure(
  checker: string,
  size: number,
  concurrency: number,
  historyOps: number,
  faults: string,
  m: ReturnType<typeof measureCheck>,
): CheckerBenchFigure {
  return {
    checker,
    size,
    concurrency,
    historyOps,
    faults,
    elapsedMs: Math.round(m.elapsedMs),
    cpuMs: Math.round(m.cpuMs),
    perSecond: Math.round(size / (m.elapsedMs / 1000)),
    heapUsedMb: m.heapUsedMb,
    rssMb: m.rssMb,
    verdict: m.result.valid,
    anomalyTypes: m.result.anomalyTypes,
  };
}

export function skipped(checker: string, size: number, concurrency: number, faults: string, note: string): CheckerBenchFigure {
  return { checker, size, concurrency, historyOps: 0, faults, elapsedMs: 0, cpuMs: 0, perSecond: 0, heapUsedMb: 0, rssMb: 0, verdict: 'unknown', anomalyTypes: [], note };
}
