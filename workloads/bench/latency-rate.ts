import { medianThroughput, type MeasuredCell } from './load-cells.js';

/**
 * The open-loop rate for latency runs: the configured one, unless half the lowest throughput
 * measured closed-loop is lower (a rate the slower server cannot sustain would measure its
 * queue, not its latency).
 */
export function latencyRate(configured: number, throughputCells: readonly MeasuredCell[], unit: string, scale = 1): { rate: number; note: string | null } {
  const capacities = throughputCells.map(medianThroughput).filter((v): v is number => v !== null && v > 0);
  if (capacities.length === 0) return { rate: configured, note: null };
  const half = (Math.min(...capacities) * scale) / 2;
  if (half >= configured) return { rate: configured, note: null };
  const rate = Math.max(1, roundDown(half));
  return { rate, note: `The latency runs use ${rate} ${unit} instead of ${configured}: half the lowest max throughput measured in this run, so every server runs below saturation.` };
}

/** 2 significant figures, rounded down: 4,870 → 4,800. */
function roundDown(n: number): number {
  const magnitude = 10 ** Math.max(0, Math.floor(Math.log10(n)) - 1);
  return Math.floor(n / magnitude) * magnitude;
}
