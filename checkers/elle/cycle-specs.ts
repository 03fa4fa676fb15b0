import { compareAnomalySeverity } from './anomaly-taxonomy.js';
import { Rel } from './rels.js';

/**
 * The cycle anomalies we search for, each described by which relations its edges may use
 * and how many anti-dependency (rw) edges it needs, after Elle's `cycle-anomaly-specs`:
 *
 * - G0: ww edges only (write cycle);
 * - G1c: ww and wr, at least one wr (circular information flow);
 * - G-single-item: ww and wr plus exactly one rw (read skew);
 * - G-nonadjacent-item: ww and wr plus two or more rw, no two rw adjacent;
 * - G2-item: ww, wr and two or more rw with some rw adjacent to another (write skew and kin).
 *
 * Each also has a `-process` and a `-realtime` variant that may use process (resp. realtime)
 * edges and must use at least one. Elle's predicate forms (G-single, G-nonadjacent, G2) need
 * predicate reads, which list-append, rw-register and Kafka histories never have.
 */
export type RwMode = 'none' | 'single' | 'nonadjacent' | 'adjacent';

export interface CycleSpec {
  /** Anomaly name, e.g. `G-single-item-realtime`. */
  type: string;
  /** Relations any step may use (besides rw, which `rwMode` governs). */
  legal: number;
  rwMode: RwMode;
  /** At least one wr step (G1c; otherwise it would be G0). */
  requireWr: boolean;
  /** 0, Rel.process or Rel.realtime: at least one step of this relation. */
  variant: number;
  /** The relation of the first step; every matching cycle can be rotated to start with one. */
  anchor: number;
}

interface BaseSpec {
  type: string;
  legal: number;
  rwMode: RwMode;
  requireWr: boolean;
}

const baseSpecs: BaseSpec[] = [
  { type: 'G0', legal: Rel.ww, rwMode: 'none', requireWr: false },
  { type: 'G1c', legal: Rel.ww | Rel.wr, rwMode: 'none', requireWr: true },
  { type: 'G-single-item', legal: Rel.ww | Rel.wr, rwMode: 'single', requireWr: false },
  { type: 'G-nonadjacent-item', legal: Rel.ww | Rel.wr, rwMode: 'nonadjacent', requireWr: false },
  { type: 'G2-item', legal: Rel.ww | Rel.wr, rwMode: 'adjacent', requireWr: false },
];

function withVariant(base: BaseSpec, variant: 0 | typeof Rel.process | typeof Rel.realtime): CycleSpec {
  const suffix = variant === Rel.process ? '-process' : variant === Rel.realtime ? '-realtime' : '';
  const anchor =
    base.rwMode !== 'none' ? Rel.rw : base.requireWr ? Rel.wr : variant !== 0 ? variant : Rel.ww;
  return { ...base, type: base.type + suffix, legal: base.legal | variant, variant, anchor };
}

/** All specs, in Elle's search order: most severe (fewest implications above it) first. */
export const cycleSpecs: readonly CycleSpec[] = baseSpecs
  .flatMap((b) => [withVariant(b, 0), withVariant(b, Rel.process), withVariant(b, Rel.realtime)])
  .sort((a, b) => compareAnomalySeverity(a.type, b.type));

export const cycleAnomalyTypes: ReadonlySet<string> = new Set(cycleSpecs.map((s) => s.type));

/**
 * Names a cycle by the relations its steps use, as Elle's cycle explainer does: the number
 * and adjacency of rw steps decides the data-dependency class, and any realtime (else
 * process) step adds the suffix.
 */
export function classifyCycle(stepRels: readonly number[]): string {
  let rw = 0;
  let wr = 0;
  let ww = 0;
  let realtime = 0;
  let process = 0;
  let adjacentRw = false;
  for (let i = 0; i < stepRels.length; i++) {
    const r = stepRels[i]!;
    if (r === Rel.rw) {
      rw++;
      const previous = stepRels[(i + stepRels.length - 1) % stepRels.length]!;
      if (previous === Rel.rw && stepRels.length > 1) adjacentRw = true;
    } else if (r === Rel.wr) wr++;
    else if (r === Rel.ww) ww++;
    else if (r === Rel.realtime) realtime++;
    else if (r === Rel.process) process++;
  }
  let base: string;
  if (rw === 1) base = 'G-single-item';
  else if (rw > 1) base = adjacentRw ? 'G2-item' : 'G-nonadjacent-item';
  else if (wr > 0) base = 'G1c';
  else if (ww > 0) base = 'G0';
  else throw new Error(`cannot classify a cycle with only process/realtime steps: ${stepRels.join(',')}`);
  return base + (realtime > 0 ? '-realtime' : process > 0 ? '-process' : '');
}
