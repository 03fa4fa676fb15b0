import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Op } from '../../checkers/history/op.js';
import { kafkaQueueHistory, type KafkaQueueHistoryOptions } from '../../checkers/kafka/kafka-history-generator.js';
import { checkKafkaQueue, checkKafkaQueueFile } from '../../checkers/kafka/kafka-queue-checker.js';
import { CheckerBenchFigure, CheckerBenchOptions, figure, heapLimitMb, measureCheck, skipped } from './checker-bench-figure.js';

interface Case {
  ops: number;
  concurrency: number;
  loseWrites: number;
  /** `ops`: the library API on Op objects; `jsonl`: a history.jsonl streamed from disk, as `kzbench check` reads it. */
  source: 'ops' | 'jsonl';
}

/** What a 1M-op history held as Op objects needs (about 1.5 GB of them); below it that case is skipped. */
const MILLION_HEAP_MB = 3500;

/**
 * Kafka queue checker speed, by history length and concurrency, on seeded histories
 * (checkers/kafka/kafka-history-generator.ts: sends, polls and transactions over 8
 * partitions, crashes and aborts, a final drain), correct or with lost writes. Histories are
 * checked as Op objects (the library API) and, for 1M ops, as a history.jsonl file streamed
 * into the checker (what `kzbench check` does; the file is written first, outside the timing).
 * Target: 1M operations under 10 s.
 */
export async function benchmarkKafkaChecker({ quick = false }: CheckerBenchOptions = {}): Promise<CheckerBenchFigure[]> {
  const cases: Case[] = quick
    ? [
        { ops: 10_000, concurrency: 10, loseWrites: 0, source: 'ops' },
        { ops: 100_000, concurrency: 10, loseWrites: 0, source: 'ops' },
        { ops: 100_000, concurrency: 10, loseWrites: 0.001, source: 'ops' },
        { ops: 100_000, concurrency: 10, loseWrites: 0, source: 'jsonl' },
      ]
    : [
        ...[2, 10, 100].map((concurrency) => ({ ops: 100_000, concurrency, loseWrites: 0, source: 'ops' as const })),
        { ops: 100_000, concurrency: 10, loseWrites: 0.001, source: 'ops' },
        { ops: 1_000_000, concurrency: 10, loseWrites: 0, source: 'jsonl' },
        { ops: 1_000_000, concurrency: 10, loseWrites: 0, source: 'ops' },
      ];
  checkKafkaQueue(kafkaQueueHistory({ seed: 0, ops: 5_000, concurrency: 10 }));
  const figures: CheckerBenchFigure[] = [];
  for (const c of cases) {
    const faults = [c.loseWrites > 0 ? `lost writes ${c.loseWrites * 100}%` : 'none', ...(c.source === 'jsonl' ? ['(streamed from history.jsonl)'] : [])].join(' ');
    const generate: KafkaQueueHistoryOptions = { seed: c.ops + c.concurrency, ops: c.ops, concurrency: c.concurrency, loseWrites: c.loseWrites, failRate: 0.01, infoRate: 0.002 };
    if (c.source === 'jsonl') {
      const dir = mkdtempSync(join(tmpdir(), 'kz-bench-kafka-'));
      try {
        const path = join(dir, 'history.jsonl');
        const lines = writeJsonl(path, generate);
        const m = measureCheck(() => checkKafkaQueueFile(path));
        figures.push(figure('kafka-queue', c.ops, c.concurrency, lines, faults, m));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      continue;
    }
    if (c.ops >= 1_000_000 && heapLimitMb() < MILLION_HEAP_MB) {
      figures.push(skipped('kafka-queue', c.ops, c.concurrency, faults, `needs node --max-old-space-size=4096 (heap limit is ${heapLimitMb()} MB)`));
      continue;
    }
    const history = kafkaQueueHistory(generate);
    const m = measureCheck(() => checkKafkaQueue(history));
    figures.push(figure('kafka-queue', c.ops, c.concurrency, history.length, faults, m));
  }
  return figures;
}

/** Generates a history straight into a JSONL file (never all in memory); returns its line count. */
function writeJsonl(path: string, opts: KafkaQueueHistoryOptions): number {
  const fd = openSync(path, 'w');
  let lines = 0;
  let batch: string[] = [];
  const flush = () => {
    writeSync(fd, batch.join(''));
    batch = [];
  };
  try {
    kafkaQueueHistory({
      ...opts,
      emit: (op: Op) => {
        batch.push(`${JSON.stringify(op)}\n`);
        lines++;
        if (batch.length === 10_000) flush();
      },
    });
    flush();
  } finally {
    closeSync(fd);
  }
  return lines;
}
