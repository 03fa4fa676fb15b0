import type { BenchTarget, BenchTargetSet } from './bench-targets.js';
import { medianThroughput, type MeasuredCell } from './load-cells.js';

/**
 * The servers a client comparison runs against: Apache (what users deploy), plus the
 * reference server when it measured faster on `op`, because against a faster server the
 * clients' own limits show instead of the server's. Without Apache, whatever is available.
 */
export function serversForClientComparison(targets: BenchTargetSet, throughputCells: readonly MeasuredCell[], op: string): BenchTarget[] {
  const apache = targets.get('apache');
  const reference = targets.get('reference');
  if (!apache || !reference) return [...targets.available];
  const capacity = (impl: string) => {
    const cell = throughputCells.find((m) => m.cell.implementation === impl && m.cell.op === op);
    return cell ? (medianThroughput(cell) ?? 0) : 0;
  };
  return capacity('reference') > capacity('apache') ? [apache, reference] : [apache];
}
