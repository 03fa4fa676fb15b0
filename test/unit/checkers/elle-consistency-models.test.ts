import { describe, expect, it } from 'vitest';
import { allImpliedAnomalies, compareAnomalySeverity } from '../../../checkers/elle/anomaly-taxonomy.js';
import {
  anomaliesProhibitedBy,
  anomaliesToImpossibleModels,
  canonicalModelName,
  friendlyModelName,
  modelBoundary,
} from '../../../checkers/elle/consistency-models.js';
import { cycleSpecs } from '../../../checkers/elle/cycle-specs.js';
import { elleVerdict } from '../../../checkers/elle/elle-verdict.js';

describe('elle consistency models', () => {
  it('maps friendly names to Adya levels and back', () => {
    expect(canonicalModelName('serializable')).toBe('PL-3');
    expect(canonicalModelName('snapshot-isolation')).toBe('PL-SI');
    expect(friendlyModelName('PL-3')).toBe('serializable');
    expect(friendlyModelName('PL-SS')).toBe('strict-serializable');
    expect(friendlyModelName('strong-session-PL-2')).toBe('strong-session-read-committed');
  });

  it('knows what each model forbids, through the implication graph', () => {
    const ss = anomaliesProhibitedBy(['strict-serializable']);
    for (const a of ['G0', 'G1a', 'G1b', 'G1c', 'G-single-item', 'G2-item', 'G1c-realtime', 'G-single-item-realtime', 'G2-item-realtime', 'internal', 'lost-update', 'PL-SS-cycle-exists']) {
      expect(ss, a).toContain(a);
    }
    const si = anomaliesProhibitedBy(['snapshot-isolation']);
    expect(si).toContain('G-single-item');
    expect(si).toContain('G-nonadjacent-item');
    expect(si).not.toContain('G2-item'); // write skew is allowed under SI
    expect(si).not.toContain('G-single-item-realtime');
    const rc = anomaliesProhibitedBy(['read-committed']);
    expect(rc).toContain('G1c');
    expect(rc).toContain('G0');
    expect(rc).not.toContain('G-single-item');
    const ru = anomaliesProhibitedBy(['read-uncommitted']);
    expect(ru).toContain('G0');
    expect(ru).not.toContain('G1c');
    expect(anomaliesProhibitedBy(['strong-session-snapshot-isolation'])).toContain('G-single-item-process');
  });

  it('rules out the weakest models an anomaly breaks, and lists the stronger ones separately', () => {
    expect(modelBoundary(['G0'])).toEqual({
      not: ['read-uncommitted'],
      alsoNot: expect.arrayContaining(['read-committed', 'serializable', 'snapshot-isolation', 'strict-serializable']),
    });
    expect(modelBoundary(['G-single-item']).not).toEqual(['consistent-view', 'repeatable-read']);
    expect(modelBoundary(['G2-item']).not).toEqual(['repeatable-read']);
    expect(modelBoundary(['G-single-item-realtime']).not).toEqual(['strong-snapshot-isolation']);
    expect(modelBoundary(['lost-update']).not).toEqual(['cursor-stability', 'update-atomic']);
    expect(modelBoundary(['internal']).not).toEqual(['read-atomic']);
    expect(modelBoundary(['cyclic-versions']).not).toEqual(['read-uncommitted']);
    expect(anomaliesToImpossibleModels(['empty-transaction-graph']).size).toBe(0);
  });

  it('follows the anomaly implications Elle defines', () => {
    const fromGSingle = allImpliedAnomalies(['G-single-item-realtime']);
    expect(fromGSingle).toContain('G2-item-realtime');
    expect(fromGSingle).toContain('G-nonadjacent-realtime');
    expect(allImpliedAnomalies(['G0'])).toEqual(expect.any(Set));
    expect([...allImpliedAnomalies(['G0'])]).toEqual(expect.arrayContaining(['G1c', 'G1', 'G0-process', 'G0-realtime', 'G1c-realtime']));
  });

  it('searches an anomaly before everything it implies, as Elle orders them', () => {
    const order = cycleSpecs.map((s) => s.type);
    expect(order).toHaveLength(15);
    for (const a of order) {
      for (const b of allImpliedAnomalies([a])) {
        if (b !== a && order.includes(b)) expect(order.indexOf(a), `${a} before ${b}`).toBeLessThan(order.indexOf(b));
      }
    }
    // Severity beyond implication: G0 before G1c, G1c before G2-item.
    expect(order.indexOf('G0')).toBeLessThan(order.indexOf('G1c'));
    expect(order.indexOf('G1c')).toBeLessThan(order.indexOf('G2-item'));
    expect(compareAnomalySeverity('G0', 'G0')).toBe(0);
  });

  it('makes a verdict like Elle: valid, invalid, or unknown when it could not look', () => {
    const strict = { consistencyModels: ['strict-serializable'], anomalies: [] };
    expect(elleVerdict([], strict).valid).toBe(true);
    expect(elleVerdict(['G1c'], strict)).toMatchObject({ valid: false, anomalyTypes: ['G1c'], not: ['read-committed'] });
    expect(elleVerdict(['empty-transaction-graph'], strict)).toMatchObject({ valid: 'unknown' });
    // A G2-item is fine under read committed: not reported, so valid (and no boundary shown).
    expect(elleVerdict(['G2-item'], { consistencyModels: ['read-committed'], anomalies: [] })).toMatchObject({ valid: true, anomalyTypes: [] });
    // A specific anomaly makes the cycle-exists proof of the same model redundant.
    expect(elleVerdict(['G1c', 'PL-2-cycle-exists'], strict).anomalyTypes).toEqual(['G1c']);
    expect(elleVerdict(['G2-item-realtime', 'strong-snapshot-isolation-cycle-exists', 'cycle-search-timeout'], strict)).toMatchObject({
      valid: false,
      anomalyTypes: ['G2-item-realtime', 'cycle-search-timeout', 'strong-snapshot-isolation-cycle-exists'],
      not: ['strong-snapshot-isolation'],
    });
  });
});
