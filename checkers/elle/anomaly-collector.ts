import type { Anomaly } from '../checker.js';

/**
 * Gathers anomaly cases by type. A broken system can produce millions of cases of one kind;
 * every case is counted but only the first `maxPerType` are kept (and their explanations
 * built), so the result stays readable and small.
 */
export class AnomalyCollector {
  private readonly kept = new Map<string, Anomaly[]>();
  private readonly counts = new Map<string, number>();

  constructor(private readonly maxPerType: number) {}

  add(type: string, build: () => Omit<Anomaly, 'type'>): void {
    const count = (this.counts.get(type) ?? 0) + 1;
    this.counts.set(type, count);
    if (count > this.maxPerType) return;
    let list = this.kept.get(type);
    if (!list) this.kept.set(type, (list = []));
    list.push({ type, ...build() });
  }

  /** Records that a type was found without a case to show (e.g. `empty-transaction-graph`). */
  mark(type: string, explanation: string): void {
    this.add(type, () => ({ explanation }));
  }

  types(): string[] {
    return [...this.counts.keys()];
  }

  count(type: string): number {
    return this.counts.get(type) ?? 0;
  }

  allCounts(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  cases(type: string): readonly Anomaly[] {
    return this.kept.get(type) ?? [];
  }
}
