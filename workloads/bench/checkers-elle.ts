import { checkElle } from '../../checkers/elle/elle-checker.js';
import { listAppendHistory } from '../../checkers/elle/list-append-history-generator.js';
import { CheckerBenchFigure, CheckerBenchOptions, figure, heapLimitMb, measureCheck, skipped } from './checker-bench-figure.js';

interface Case {
  txns: number;
  concurrency: number;
  staleReadRate: number;
}

/** About what a 1M-transaction list-append check needs (history included); below it the case is skipped. */
const MILLION_HEAP_MB = 3500;

/**
 * Elle list-append checking speed, by history length and concurrency, on seeded histories
 * (checkers/elle/list-append-history-generator.ts): correct ones (the common case: no
 * cycles), and ones with stale reads, whose anomalies make the cycle search work.
 * Targets: 100k transactions under 5 s, 1M under 60 s within a 4 GB heap.
 */
export async function benchmarkElle({ quick = false }: CheckerBenchOptions = {}): Promise<CheckerBenchFigure[]> {
  const cases: Case[] = quick
    ? [
        { txns: 10_000, concurrency: 10, staleReadRate: 0 },
        { txns: 100_000, concurrency: 10, staleReadRate: 0 },
        { txns: 100_000, concurrency: 10, staleReadRate: 0.01 },
      ]
    : [
        ...[1, 10, 100].map((concurrency) => ({ txns: 100_000, concurrency, staleReadRate: 0 })),
        { txns: 100_000, concurrency: 10, staleReadRate: 0.01 },
        { txns: 300_000, concurrency: 10, staleReadRate: 0 },
        { txns: 1_000_000, concurrency: 10, staleReadRate: 0 },
      ];
  // Warm the JIT on a small history so the first measured case is not penalised.
  checkElle(listAppendHistory({ seed: 0, txns: 5_000, concurrency: 10 }), 'list-append');
  const figures: CheckerBenchFigure[] = [];
  for (const c of cases) {
    const faults = c.staleReadRate > 0 ? `stale reads ${c.staleReadRate * 100}%` : 'none';
    if (c.txns >= 1_000_000 && heapLimitMb() < MILLION_HEAP_MB) {
      figures.push(skipped('elle list-append', c.txns, c.concurrency, faults, `needs node --max-old-space-size=4096 (heap limit is ${heapLimitMb()} MB)`));
      continue;
    }
    let history: ReturnType<typeof listAppendHistory> | undefined = listAppendHistory({
      seed: c.txns + c.concurrency,
      txns: c.txns,
      concurrency: c.concurrency,
      staleReadRate: c.staleReadRate,
      failRate: 0.01,
      infoRate: 0.001,
    });
    const h = history;
    const m = measureCheck(() => checkElle(h, 'list-append', { cycleSearchTimeoutMs: 10_000 }));
    figures.push(figure('elle list-append', c.txns, c.concurrency, h.length, faults, m));
    history = undefined; // let the next case have the memory
  }
  return figures;
}
