import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Results, RunResult } from './results-schema.js';

/**
 * One data point for benchmark-action/github-action-benchmark's custom tools
 * (`customBiggerIsBetter` / `customSmallerIsBetter`): `{name, unit, value, range?, extra?}`.
 */
export interface BenchmarkActionEntry {
  name: string;
  unit: string;
  value: number;
  range?: string;
  extra?: string;
}

export interface BenchmarkActionFiles {
  biggerIsBetter: BenchmarkActionEntry[];
  smallerIsBetter: BenchmarkActionEntry[];
}

function spread(values: number[] | undefined): string | undefined {
  if (!values || values.length < 2) return undefined;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const mid = (min + max) / 2;
  return mid === 0 ? undefined : `± ${(((max - min) / 2 / mid) * 100).toFixed(1)}%`;
}

function withRange(entry: BenchmarkActionEntry, values: number[] | undefined): BenchmarkActionEntry {
  const range = spread(values);
  return range ? { ...entry, range } : entry;
}

function extra(run: RunResult): string {
  const c = run.counts;
  return `${run.mode} loop, ${run.measuredSeconds} s, ok ${c.ok}, fail ${c.fail}, info ${c.info}, dropped ${c.dropped}`;
}

/**
 * Throughput (bigger is better) and p50/p99 latency (smaller is better) per run. Names are
 * stable across runs (`suite: implementation / client / op metric`) so the action can chart
 * them over commits. Its README advises gating on medians with a wide threshold, never on
 * deep tails; p99 is published for the trend chart.
 */
export function benchmarkActionEntries(suites: ReadonlyArray<{ name: string; results: Results }>): BenchmarkActionFiles {
  const out: BenchmarkActionFiles = { biggerIsBetter: [], smallerIsBetter: [] };
  for (const { name, results } of suites) {
    for (const run of results.runs) {
      const base = `${name}: ${run.implementation} / ${run.client} / ${run.op}`;
      const latency = run.latency.intended ?? run.latency.service;
      const which = run.latency.intended ? 'latency' : 'service time';
      const reps = run.repetitions;
      out.biggerIsBetter.push(
        withRange({ name: `${base} throughput`, unit: 'ops/s', value: run.throughput.okPerSecond, extra: extra(run) }, reps?.map((r) => r.okPerSecond)),
      );
      if (latency.count === 0) continue;
      out.smallerIsBetter.push(
        withRange({ name: `${base} p50 ${which}`, unit: 'us', value: latency.p50, extra: extra(run) }, reps?.map((r) => r.p50)),
        withRange({ name: `${base} p99 ${which}`, unit: 'us', value: latency.p99, extra: extra(run) }, reps?.map((r) => r.p99)),
      );
    }
  }
  return out;
}

export const benchmarkActionFileNames = {
  biggerIsBetter: 'bigger-is-better.json',
  smallerIsBetter: 'smaller-is-better.json',
} as const;

/** Writes both files into `dir`; returns their paths. */
export async function writeBenchmarkActionFiles(dir: string, files: BenchmarkActionFiles): Promise<{ biggerIsBetter: string; smallerIsBetter: string }> {
  await mkdir(dir, { recursive: true });
  const bigger = join(dir, benchmarkActionFileNames.biggerIsBetter);
  const smaller = join(dir, benchmarkActionFileNames.smallerIsBetter);
  await writeFile(bigger, JSON.stringify(files.biggerIsBetter, null, 2) + '\n');
  await writeFile(smaller, JSON.stringify(files.smallerIsBetter, null, 2) + '\n');
  return { biggerIsBetter: bigger, smallerIsBetter: smaller };
}
