import { describe, expect, it } from 'vitest';
import type { Op } from '../../../checkers/history/op.js';
import { checkElectionTerms } from '../../../workloads/zookeeper/election-terms.js';
import { checkRegistryConvergence } from '../../../workloads/zookeeper/registry-convergence.js';

let index = 0;
const op = (process: string | number, type: Op['type'], f: string, value: unknown = null, key?: unknown): Op => ({ index: index++, time: index, process, type, f, value, ...(key !== undefined ? { key } : {}) });

describe('election terms', () => {
  it('growing terms, one leader each: valid', () => {
    index = 0;
    const h = [op('a', 'invoke', 'elect', null, 'e'), op('a', 'ok', 'elect', 3, 'e'), op('b', 'invoke', 'elect', null, 'e'), op('b', 'ok', 'elect', 7, 'e')];
    expect(checkElectionTerms(h).valid).toBe(true);
  });

  it('a later election with a lower term is a term-regression; a term won twice a duplicate-term', () => {
    index = 0;
    const h = [
      op('a', 'invoke', 'elect', null, 'e'),
      op('a', 'ok', 'elect', 9, 'e'),
      op('b', 'invoke', 'elect', null, 'e'),
      op('b', 'ok', 'elect', 4, 'e'),
      op('c', 'invoke', 'elect', null, 'e'),
      op('c', 'ok', 'elect', 9, 'e'),
    ];
    const r = checkElectionTerms(h);
    expect(r.valid).toBe(false);
    expect(r.anomalyTypes).toEqual(['duplicate-term', 'term-regression']);
  });

  it('concurrent elections may finish in any order; separate elections are separate', () => {
    index = 0;
    const h = [op('a', 'invoke', 'elect', null, 'e'), op('b', 'invoke', 'elect', null, 'e'), op('b', 'ok', 'elect', 5, 'e'), op('a', 'ok', 'elect', 4, 'e'), op('c', 'invoke', 'elect', null, 'f'), op('c', 'ok', 'elect', 1, 'f')];
    expect(checkElectionTerms(h).valid).toBe(true);
  });
});

describe('registry convergence', () => {
  const finalOps = (views: { members: string[]; config: string | null }[], truth: string[], config: string, states = {}) => {
    const ops: Op[] = [op('final', 'info', 'final-members', truth), op('final', 'info', 'final-config', config), op('final', 'info', 'final-member-states', states)];
    views.forEach((v, i) => ops.push(op(`watcher-${i}`, 'info', 'final-view', v)));
    return ops;
  };

  it('watchers that match ZooKeeper converged', () => {
    index = 0;
    const h = [op('watcher-0', 'info', 'view', { config: '1' }), op('watcher-0', 'info', 'view', { config: '2' }), ...finalOps([{ members: ['m2', 'm1'], config: '2' }], ['m1', 'm2'], '2')];
    expect(checkRegistryConvergence(h).valid).toBe(true);
  });

  it('a watcher left behind missed the final state; config read out of order went back', () => {
    index = 0;
    const h = [op('watcher-0', 'info', 'view', { config: '3' }), op('watcher-0', 'info', 'view', { config: '2' }), ...finalOps([{ members: ['m1'], config: '2' }], ['m1', 'm2'], '3')];
    const r = checkRegistryConvergence(h);
    expect(r.valid).toBe(false);
    expect(r.anomalyTypes).toEqual(['missed-final-state', 'config-went-back']);
  });

  it('registrations must match what members last did, unless their outcome is unknown', () => {
    index = 0;
    const states = {
      m1: { last: 'leave', uncertain: false, sessionAlive: true },
      m2: { last: 'join', uncertain: false, sessionAlive: true },
      m3: { last: 'join', uncertain: true, sessionAlive: true },
      m4: { last: 'join', uncertain: false, sessionAlive: false },
    };
    const h = finalOps([{ members: ['m1'], config: '0' }], ['m1'], '0', states);
    const r = checkRegistryConvergence(h);
    expect(r.anomalyTypes).toEqual(['left-member-present', 'joined-member-missing']);
    expect(r.anomalies.map((a) => a.explanation.split(' ')[1])).toEqual(['m1', 'm2']);
  });

  it('without a final read it cannot judge', () => {
    index = 0;
    expect(checkRegistryConvergence([op('w', 'info', 'view', { config: '1' })]).valid).toBe('unknown');
  });
});
