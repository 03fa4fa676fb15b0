import { kafkaQueueHistory } from '../../checkers/kafka/kafka-history-generator.js';
import { checkKafkaQueue } from '../../checkers/kafka/kafka-queue-checker.js';
import { CheckerBenchFigure, CheckerBenchOptions, figure, heapLimitMb, measureCheck, skipped } from './checker-bench-figure.js';

interface Case {
  ops: number;
  concurrency: number;
  loseWrites: number;
}

const MILLION_HEAP_MB = 3500;

/**
 * Kafka queue checker speed, by history length and concurrency, on seeded histories
 * (checkers/kafka/kafka-history-generator.ts: sends, polls and transactions over 8
 * partitions, crashes and aborts, a final drain), correct or with lost writes.
 * Target: 1M operations under 10 s.
 */
export async function benchmarkKafkaChecker({ quick = false }: CheckerBenchOptions = {}): Promise<CheckerBenchFigure[]> {
  const cases: Case[] = quick
    ? [
        { ops: 10_000, concurrency: 10, loseWrites: 0 },
        { ops: 100_000, concurrency: 10, loseWrites: 0 },
        { ops: 100_000, concurrency: 10, loseWrites: 0.001 },
      ]
    : [
        ...[2, 10, 100].map((concurrency) => ({ ops: 100_000, concurrency, loseWrites: 0 })),
        { ops: 100_000, concurrency: 10, loseWrites: 0.001 },
        { ops: 1_000_000, concurrency: 10, loseWrites: 0 },
      ];
  checkKafkaQueue(kafkaQueueHistory({ seed: 0, ops: 5_000, concurrency: 10 }));
  const figures: CheckerBenchFigure[] = [];
  for (const c of cases) {
    const faults = c.loseWrites > 0 ? `lost writes ${c.loseWrites * 100}%` : 'none';
    if (c.ops >= 1_000_000 && heapLimitMb() < MILLION_HEAP_MB) {
      figures.push(skipped('kafka-queue', c.ops, c.concurrency, faults, `needs node --max-old-space-size=4096 (heap limit is ${heapLimitMb()} MB)`));
      continue;
    }
    const history = kafkaQueueHistory({ seed: c.ops + c.concurrency, ops: c.ops, concurrency: c.concurrency, loseWrites: c.loseWrites, failRate: 0.01, infoRate: 0.002 });
    const m = measureCheck(() => checkKafkaQueue(history));
    figures.push(figure('kafka-queue', c.ops, c.concurrency, history.length, faults, m));
  }
  return figures;
}
