import { describe, expect, it } from 'vitest';
import { findModel, isInconsistent, linearizabilityModels } from '../../../../checkers/models/index.js';
import { check, reason } from '../linearizability/check-history.js';

describe('models step like Knossos', () => {
  const step = (model: string, state: unknown, f: string, value: unknown) => {
    const m = findModel(model)!;
    const next = m.step(m.initial(state), { f, value });
    return isInconsistent(next) ? `✗ ${next.message}` : m.describe(next);
  };

  it('register and cas-register: nil reads match anything; messages name value and state', () => {
    expect(step('cas-register', 4, 'read', 3)).toBe("✗ can't read 3 from register 4");
    expect(step('cas-register', 4, 'read', null)).toBe('4');
    expect(step('cas-register', 2, 'cas', [1, 1])).toBe("✗ can't CAS 2 from 1 to 1");
    expect(step('cas-register', 1, 'cas', [1, 3])).toBe('3');
    expect(step('register', null, 'write', [1, 2])).toBe('[1 2]');
    expect(step('register', [1, 2], 'read', [1, 2])).toBe('[1 2]');
  });

  it('multi-register applies micro-ops in order', () => {
    expect(step('multi-register', { x: 0, y: 0 }, 'txn', [['write', 'x', 1], ['read', 'x', 1], ['read', 'y', 0]])).toBe('{x 1, y 0}');
    expect(step('multi-register', { x: 0, y: 0 }, 'txn', [['read', 'y', 5]])).toBe("✗ can't read 5 from register y, which holds 0");
  });

  it('mutex, set and queues', () => {
    expect(step('mutex', true, 'acquire', undefined)).toBe("✗ can't acquire the mutex: it is already held");
    expect(step('mutex', undefined, 'release', undefined)).toBe("✗ can't release the mutex: it is not held");
    expect(step('set', [2, 1], 'read', [1, 2])).toBe('#{1 2}');
    expect(step('set', [1], 'read', [1, 2])).toBe("✗ can't read #{1 2} from set #{1}");
    expect(step('unordered-queue', [1, 2], 'dequeue', 2)).toBe('[1]');
    expect(step('unordered-queue', [1], 'dequeue', 3)).toBe("✗ can't dequeue 3: the queue holds [1]");
    expect(step('fifo-queue', [1, 2], 'dequeue', 2)).toBe("✗ can't dequeue 2: the head of the queue is 1");
    expect(step('fifo-queue', [], 'dequeue', 2)).toBe("✗ can't dequeue 2 from an empty queue");
    expect(step('fifo-queue', [1, 2], 'dequeue', null)).toBe('[2]');
  });

  it('kv appends strings per key', () => {
    const kv = findModel('kv')!;
    const s0 = kv.initial({ a: 'x' }, 'a');
    const s1 = kv.step(s0, { f: 'append', value: 'y', key: 'a' });
    expect(kv.describe(s1)).toBe('"xy"');
    expect(kv.describe(kv.initial({ a: 'x' }, 'b'))).toBe('""');
    const bad = kv.step(s1, { f: 'get', value: 'x', key: 'a' });
    expect(isInconsistent(bad) && bad.message).toBe('can\'t get "x" from key "a", which holds "xy"');
  });

  it('rejects a bad --init with a usage error', () => {
    expect(() => findModel('multi-register')!.initial(3)).toThrow(/multi-register --init must be a map/);
    expect(() => findModel('mutex')!.initial('maybe')).toThrow(/mutex --init must be true/);
    expect(() => findModel('set')!.initial(3)).toThrow(/set --init must be a list/);
  });

  it('has every model the docs promise', () => {
    expect([...linearizabilityModels.keys()].sort()).toEqual(['cas-register', 'fifo-queue', 'kv', 'multi-register', 'mutex', 'register', 'set', 'unordered-queue']);
  });
});

/**
 * For every model: a small linearizable history is accepted, and a minimal violation is
 * rejected with the model's reason. A checker that cannot fail is a defect.
 */
describe('each model accepts a linearizable history and rejects a minimal violation', () => {
  const cases: { model: string; init?: unknown; good: string; bad: string; why: RegExp }[] = [
    {
      model: 'register',
      init: 0,
      good: `[{:process 0 :type :invoke :f :write :value 1} {:process 1 :type :invoke :f :read :value nil}
              {:process 1 :type :ok :f :read :value 0} {:process 0 :type :ok :f :write :value 1}]`,
      bad: `[{:process 0 :type :invoke :f :write :value 1} {:process 0 :type :ok :f :write :value 1}
             {:process 1 :type :invoke :f :read :value nil} {:process 1 :type :ok :f :read :value 0}]`,
      why: /can't read 0 from register 1/,
    },
    {
      model: 'cas-register',
      init: 0,
      good: `[{:process 0 :type :invoke :f :cas :value [0 1]} {:process 0 :type :ok :f :cas :value [0 1]}
              {:process 1 :type :invoke :f :read :value nil} {:process 1 :type :ok :f :read :value 1}]`,
      bad: `[{:process 0 :type :invoke :f :cas :value [0 1]} {:process 0 :type :ok :f :cas :value [0 1]}
             {:process 1 :type :invoke :f :cas :value [0 2]} {:process 1 :type :ok :f :cas :value [0 2]}]`,
      why: /can't CAS 1 from 0 to 2/,
    },
    {
      model: 'multi-register',
      init: { x: 0, y: 0 },
      good: `[{:process 0 :type :invoke :f :txn :value [[:write :x 1] [:write :y 1]]} {:process 0 :type :ok :f :txn :value [[:write :x 1] [:write :y 1]]}
              {:process 1 :type :invoke :f :txn :value [[:read :x nil] [:read :y nil]]} {:process 1 :type :ok :f :txn :value [[:read :x 1] [:read :y 1]]}]`,
      bad: `[{:process 0 :type :invoke :f :txn :value [[:write :x 1] [:write :y 1]]} {:process 0 :type :ok :f :txn :value [[:write :x 1] [:write :y 1]]}
             {:process 1 :type :invoke :f :txn :value [[:read :x nil] [:read :y nil]]} {:process 1 :type :ok :f :txn :value [[:read :x 1] [:read :y 0]]}]`,
      why: /can't read 0 from register y, which holds 1/,
    },
    {
      model: 'kv',
      good: `{"process":0,"type":"invoke","f":"append","key":"a","value":"x"}
             {"process":1,"type":"invoke","f":"get","key":"a","value":null}
             {"process":1,"type":"ok","f":"get","key":"a","value":"x"}
             {"process":0,"type":"ok","f":"append","key":"a","value":"x"}`,
      bad: `{"process":0,"type":"invoke","f":"append","key":"a","value":"x"}
            {"process":0,"type":"ok","f":"append","key":"a","value":"x"}
            {"process":1,"type":"invoke","f":"get","key":"a","value":null}
            {"process":1,"type":"ok","f":"get","key":"a","value":""}`,
      why: /can't get "" from key "a", which holds "x"/,
    },
    {
      model: 'mutex',
      good: `[{:process 0 :type :invoke :f :acquire} {:process 0 :type :ok :f :acquire}
              {:process 1 :type :invoke :f :acquire} {:process 0 :type :invoke :f :release}
              {:process 0 :type :ok :f :release} {:process 1 :type :ok :f :acquire}]`,
      bad: `[{:process 0 :type :invoke :f :acquire} {:process 0 :type :ok :f :acquire}
             {:process 1 :type :invoke :f :acquire} {:process 1 :type :ok :f :acquire}]`,
      why: /can't acquire the mutex: it is already held/,
    },
    {
      model: 'set',
      good: `[{:process 0 :type :invoke :f :add :value 1} {:process 1 :type :invoke :f :read :value nil}
              {:process 1 :type :ok :f :read :value #{1}} {:process 0 :type :ok :f :add :value 1}]`,
      bad: `[{:process 0 :type :invoke :f :add :value 1} {:process 0 :type :ok :f :add :value 1}
             {:process 1 :type :invoke :f :read :value nil} {:process 1 :type :ok :f :read :value #{}}]`,
      why: /can't read #\{\} from set #\{1\}/,
    },
    {
      model: 'unordered-queue',
      good: `[{:process 0 :type :invoke :f :enqueue :value 1} {:process 0 :type :ok :f :enqueue :value 1}
              {:process 0 :type :invoke :f :enqueue :value 2} {:process 0 :type :ok :f :enqueue :value 2}
              {:process 1 :type :invoke :f :dequeue :value nil} {:process 1 :type :ok :f :dequeue :value 2}]`,
      bad: `[{:process 0 :type :invoke :f :enqueue :value 1} {:process 0 :type :ok :f :enqueue :value 1}
             {:process 1 :type :invoke :f :dequeue :value nil} {:process 1 :type :ok :f :dequeue :value 1}
             {:process 2 :type :invoke :f :dequeue :value nil} {:process 2 :type :ok :f :dequeue :value 1}]`,
      why: /can't dequeue 1: the queue holds \[\]/,
    },
    {
      model: 'fifo-queue',
      good: `[{:process 0 :type :invoke :f :enqueue :value 1} {:process 1 :type :invoke :f :enqueue :value 2}
              {:process 0 :type :ok :f :enqueue :value 1} {:process 1 :type :ok :f :enqueue :value 2}
              {:process 2 :type :invoke :f :dequeue :value nil} {:process 2 :type :ok :f :dequeue :value 2}]`,
      bad: `[{:process 0 :type :invoke :f :enqueue :value 1} {:process 0 :type :ok :f :enqueue :value 1}
             {:process 0 :type :invoke :f :enqueue :value 2} {:process 0 :type :ok :f :enqueue :value 2}
             {:process 1 :type :invoke :f :dequeue :value nil} {:process 1 :type :ok :f :dequeue :value 2}]`,
      why: /can't dequeue 2: the head of the queue is 1/,
    },
  ];

  for (const c of cases) {
    it(`${c.model}: accepts`, async () => {
      const r = await check(c.good, c.model, { init: c.init });
      expect(r.valid, r.summary).toBe(true);
    });
    it(`${c.model}: rejects with a readable reason`, async () => {
      const r = await check(c.bad, c.model, { init: c.init });
      expect(r.valid).toBe(false);
      expect(r.anomalyTypes).toEqual(['nonlinearizable']);
      expect(reason(r)).toMatch(c.why);
      expect(r.anomalies[0]!.explanation).toMatch(c.why);
    });
  }
});
