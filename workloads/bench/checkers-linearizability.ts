import type { CheckResult } from '../../checkers/checker.js';
import type { Op } from '../../checkers/history/op.js';
import { linearizabilityChecker, type LinearizabilityOptions } from '../../checkers/linearizability/linearizability-checker.js';
import { casRegisterHistory, kvHistory } from '../../checkers/linearizability/synthetic-histories.js';

/** Checking speed for one shape of history: many seeded histories, their median and p90. */
export interface LinearizabilityBenchFigure {
  model: 'cas-register' | 'kv';
  /** Client operations per history. */
  ops: number;
  /** Clients with an op in flight at once. */
  concurrency: number;
  /** Indeterminate (info) ops per history. */
  infoOps: number;
  /** Distinct process ids per history (clients plus one per crash), median. */
  processes: number;
  /** Independent keys (kv; 1 for the register). */
  keys: number;
  /** "none", or "corrupt": one read changed to a value no op wrote, so the history is invalid. */
  faults: 'none' | 'corrupt';
  histories: number;
  /** Wall-clock ms per check (history generation excluded). */
  medianMs: number;
  p90Ms: number;
  maxMs: number;
  /** CPU ms per check, median: less sensitive to a busy machine than wall time. */
  medianCpuMs: number;
  /** Explored search configurations per history, median. */
  medianConfigurations: number;
  verdicts: { valid: number; invalid: number; unknown: number };
}

export interface LinearizabilityBenchOptions {
  /** Fewer histories per shape (seconds instead of a minute or two). */
  quick?: boolean;
  /** Budget per check; past it the check is unknown (default 10 s). */
  timeLimitMs?: number;
}

interface Shape {
  model: 'cas-register' | 'kv';
  ops: number;
  concurrency: number;
  infoOps: number;
  keys: number;
  faults: 'none' | 'corrupt';
  histories: number;
}

/**
 * Linearizability checking speed on seeded synthetic histories
 * (checkers/linearizability/synthetic-histories.ts), by history length and concurrency:
 *  - the CAS register in the shape of Jepsen's etcd logs (about 100 ops, 5 clients, 15
 *    indeterminate ops, a new process id after each crash), then more clients (10, 20, 50:
 *    50 clients give 50+ processes) and longer histories;
 *  - the string kv store partitioned by key: 2,000 ops from 50 clients over 10 keys (the
 *    shape of Porcupine's c50 histories), then other lengths and client counts.
 * Targets: the etcd shape under 1 ms median; the 2,000-op kv under 200 ms.
 */
export async function benchmarkLinearizability({ quick = false, timeLimitMs = 10_000 }: LinearizabilityBenchOptions = {}): Promise<LinearizabilityBenchFigure[]> {
  const n = (full: number, short: number) => (quick ? short : full);
  const cas = (ops: number, concurrency: number, infoOps: number, faults: Shape['faults'] = 'none', histories = n(50, 15)): Shape => ({ model: 'cas-register', ops, concurrency, infoOps, keys: 1, faults, histories });
  const kv = (ops: number, concurrency: number, faults: Shape['faults'] = 'none', histories = n(10, 3)): Shape => ({ model: 'kv', ops, concurrency, infoOps: 0, keys: 10, faults, histories });
  const shapes: Shape[] = [
    cas(100, 5, 15),
    cas(100, 5, 15, 'corrupt'),
    cas(100, 10, 15),
    cas(100, 20, 15),
    cas(100, 50, 15, 'none', n(20, 5)),
    ...(quick ? [] : [cas(200, 5, 30), cas(400, 5, 60), cas(800, 5, 120, 'none', 20)]),
    kv(2000, 50),
    kv(2000, 50, 'corrupt'),
    ...(quick ? [] : [kv(500, 50), kv(1000, 50), kv(4000, 50, 'none', 5), kv(2000, 10), kv(2000, 25)]),
  ];

  // Warm the JIT so the first shape is not charged for compilation (the first hundred checks
  // run several times slower than the rest).
  for (let seed = 0; seed < n(200, 100); seed++) await check(casRegisterHistory({ seed: 10_000 + seed, ops: 100, clients: 5, infoOps: 15, corrupt: seed % 4 === 0 }), 'cas-register', { init: 0 });
  for (let seed = 0; seed < n(6, 3); seed++) await check(kvHistory({ seed: 10_000 + seed, ops: 2000, clients: 50, corrupt: seed % 2 === 0 }), 'kv', {});

  const figures: LinearizabilityBenchFigure[] = [];
  for (const shape of shapes) figures.push(await measureShape(shape, timeLimitMs));
  return figures;
}

async function measureShape(shape: Shape, timeLimitMs: number): Promise<LinearizabilityBenchFigure> {
  const wall: number[] = [];
  const cpu: number[] = [];
  const configurations: number[] = [];
  const processes: number[] = [];
  const verdicts = { valid: 0, invalid: 0, unknown: 0 };
  for (let i = 0; i < shape.histories; i++) {
    const seed = 1 + i + shape.ops * 1000 + shape.concurrency;
    const corrupt = shape.faults === 'corrupt';
    const history =
      shape.model === 'cas-register'
        ? casRegisterHistory({ seed, ops: shape.ops, clients: shape.concurrency, infoOps: shape.infoOps, corrupt })
        : kvHistory({ seed, ops: shape.ops, clients: shape.concurrency, keys: shape.keys, corrupt });
    processes.push(new Set(history.map((op) => op.process)).size);
    const opts: LinearizabilityOptions = { timeLimitMs, ...(shape.model === 'cas-register' ? { init: 0 } : {}) };
    // No forced GC between checks (unlike the Elle bench): a full collection throws away
    // compiled code and makes every small check pay for the JIT again.
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    const result = await check(history, shape.model, opts);
    wall.push(performance.now() - started);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
    configurations.push(result.stats?.cacheEntries ?? 0);
    if (result.valid === true) verdicts.valid++;
    else if (result.valid === false) verdicts.invalid++;
    else verdicts.unknown++;
  }
  return {
    model: shape.model,
    ops: shape.ops,
    concurrency: shape.concurrency,
    infoOps: shape.infoOps,
    processes: quantile(processes, 0.5),
    keys: shape.keys,
    faults: shape.faults,
    histories: shape.histories,
    medianMs: round(quantile(wall, 0.5)),
    p90Ms: round(quantile(wall, 0.9)),
    maxMs: round(Math.max(...wall)),
    medianCpuMs: round(quantile(cpu, 0.5)),
    medianConfigurations: quantile(configurations, 0.5),
    verdicts,
  };
}

function check(history: Op[], model: string, opts: LinearizabilityOptions): Promise<CheckResult> {
  return linearizabilityChecker.check(history, model, opts);
}

/** Nearest-rank quantile. */
function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function round(ms: number): number {
  return ms < 10 ? Math.round(ms * 1000) / 1000 : Math.round(ms * 10) / 10;
}
