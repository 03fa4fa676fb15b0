import { NameDag } from './name-dag.js';

/**
 * Which anomalies imply which (Elle's `implied-anomalies`): finding G0 also means G1c was
 * found, G1a/G1b/G1c are G1, a G-single is also a G-nonadjacent, and so on. A model that
 * forbids an anomaly also forbids everything that implies it.
 */
export const impliedAnomalies = NameDag.from({
  G0: ['G1c', 'G0-process'],
  'G0-process': ['G1c-process', 'G0-realtime'],
  'G0-realtime': ['G1c-realtime'],

  G1a: ['G1'],
  G1b: ['G1'],
  G1c: ['G1', 'G1c-process'],
  'G1c-process': ['G1c-realtime', 'G1-process'],
  'G1c-realtime': ['G1-realtime'],
  G1: ['G1-process'],
  'G1-process': ['G1-realtime'],

  'G-single-item': ['G-single', 'G-single-item-process', 'G-nonadjacent-item'],
  'G-single-item-process': ['G-single-process', 'G-single-item-realtime', 'G-nonadjacent-item-process'],
  'G-single-item-realtime': ['G-single-realtime', 'G-nonadjacent-item-realtime'],

  'G-single': ['G-nonadjacent', 'GSIb', 'G-single-process'],
  'G-single-process': ['G-nonadjacent-process', 'G-single-realtime'],
  'G-single-realtime': ['G-nonadjacent-realtime'],

  'G-nonadjacent-item': ['G-nonadjacent', 'G2-item', 'G-nonadjacent-item-process'],
  'G-nonadjacent-item-process': ['G-nonadjacent-process', 'G2-item-process', 'G-nonadjacent-item-realtime'],
  'G-nonadjacent-item-realtime': ['G2-item-realtime', 'G-nonadjacent-realtime'],

  'G-nonadjacent': ['G2', 'G-nonadjacent-process'],
  'G-nonadjacent-process': ['G2-process', 'G-nonadjacent-realtime'],
  'G-nonadjacent-realtime': ['G2-realtime'],

  G2: ['G2-process'],
  'G2-item': ['G2', 'G2-item-process'],
  'G2-item-process': ['G2-process', 'G2-item-realtime'],
  'G2-item-realtime': ['G2-realtime'],
  'G2-process': ['G2-realtime'],

  GSIa: ['GSI'],
  GSIb: ['GSI'],

  // Two committed reads that cannot come from one timeline imply a dirty read.
  'incompatible-order': ['G1a'],
  // A future read is a trivial wr cycle of a transaction with itself.
  'future-read': ['G1c'],
  'dirty-update': ['G1a'],
  'lost-update': ['write-skew', 'G2-item'],
  'write-skew': ['G2'],
});

/**
 * Severity beyond implication (Elle's `anomaly-severity-graph`): G0 does not imply G-single
 * but is worse. Together with the implication graph it orders the cycle searches so the worst
 * anomalies are looked for first.
 */
const severity = NameDag.from({
  G0: ['G1c'],
  'G0-process': ['G1c-process'],
  'G0-realtime': ['G1c-realtime'],
  G1c: ['G-single', 'G2-item'],
  'G1c-process': ['G-single-process', 'G2-item-process'],
  'G1c-realtime': ['G-single-realtime', 'G2-item-realtime'],
  G2: ['G0-process'],
  'G2-process': ['G0-realtime'],
});

const depths = impliedAnomalies.merge(severity).topoDepths();

/** Orders anomaly names by severity depth (fewer dependencies first), then by name. */
export function compareAnomalySeverity(a: string, b: string): number {
  const d = (depths.get(a) ?? 0) - (depths.get(b) ?? 0);
  if (d !== 0) return d;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** All anomalies implied by any of `anomalies`, themselves included. */
export function allImpliedAnomalies(anomalies: Iterable<string>): Set<string> {
  return impliedAnomalies.downstream(anomalies);
}

/** All anomalies which would imply any of `anomalies`, themselves included. */
export function allAnomaliesImplying(anomalies: Iterable<string>): Set<string> {
  return impliedAnomalies.upstream(anomalies);
}
