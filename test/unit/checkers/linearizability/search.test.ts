import { describe, expect, it } from 'vitest';
import { linearizabilityChecker } from '../../../../checkers/linearizability/linearizability-checker.js';
import { casRegisterHistory, kvHistory } from '../../../../checkers/linearizability/synthetic-histories.js';
import { check, details, reason } from './check-history.js';

describe('indeterminate (info) ops, as Knossos', () => {
  it('a crashed write may have taken effect (wgl crash-test)', async () => {
    const r = await check(
      `[{:process 0 :type :invoke :f :write :value 1} {:process 0 :type :info :f :write :value 1}
        {:process 1 :type :invoke :f :read :value nil} {:process 1 :type :ok :f :read :value 1}]`,
      'register',
      { init: 0 },
    );
    expect(r.valid).toBe(true);
  });

  it('... or not', async () => {
    const r = await check(
      `[{:process 0 :type :invoke :f :write :value 1} {:process 0 :type :info :f :write :value 1}
        {:process 1 :type :invoke :f :read :value nil} {:process 1 :type :ok :f :read :value 0}]`,
      'register',
      { init: 0 },
    );
    expect(r.valid).toBe(true);
  });

  it('but never before its invocation', async () => {
    const r = await check(
      `[{:process 1 :type :invoke :f :read :value nil} {:process 1 :type :ok :f :read :value 1}
        {:process 0 :type :invoke :f :write :value 1} {:process 0 :type :info :f :write :value 1}]`,
      'register',
      { init: 0 },
    );
    expect(r.valid).toBe(false);
    expect(reason(r)).toBe("can't read 1 from register 0");
  });

  it('an invocation that never completes is indeterminate too', async () => {
    const r = await check(
      `[{:process 0 :type :invoke :f :write :value 1}
        {:process 1 :type :invoke :f :read :value nil} {:process 1 :type :ok :f :read :value 1}
        {:process 1 :type :invoke :f :read :value nil} {:process 1 :type :ok :f :read :value 1}]`,
      'register',
      { init: 0 },
    );
    expect(r.valid).toBe(true);
  });

  it('a failed op never happened', async () => {
    const r = await check(
      `[{:process 0 :type :invoke :f :write :value 1} {:process 0 :type :fail :f :write :value 1}
        {:process 1 :type :invoke :f :read :value nil} {:process 1 :type :ok :f :read :value 1}]`,
      'register',
      { init: 0 },
    );
    expect(r.valid).toBe(false);
  });

  it('a crashed write can take effect only once, even among identical crashed writes', async () => {
    const r = await check(
      `[{:process 0 :type :invoke :f :write :value 1} {:process 0 :type :info :f :write :value 1}
        {:process 2 :type :invoke :f :write :value 1} {:process 2 :type :info :f :write :value 1}
        {:process 1 :type :invoke :f :read :value nil} {:process 1 :type :ok :f :read :value 1}
        {:process 3 :type :invoke :f :write :value 2} {:process 3 :type :ok :f :write :value 2}
        {:process 1 :type :invoke :f :read :value nil} {:process 1 :type :ok :f :read :value 1}
        {:process 4 :type :invoke :f :write :value 2} {:process 4 :type :ok :f :write :value 2}
        {:process 1 :type :invoke :f :read :value nil} {:process 1 :type :ok :f :read :value 1}
        {:process 1 :type :invoke :f :read :value nil} {:process 1 :type :ok :f :read :value 1}]`,
      'register',
      { init: 0 },
    );
    // Two crashed writes of 1 can explain two returns to 1 after writes of 2, not three.
    expect(r.valid).toBe(false);
    expect(reason(r)).toBe("can't read 1 from register 2");
  });
});

describe('partitions', () => {
  const keyed = `{"process":0,"type":"invoke","f":"write","key":"a","value":1}
{"process":0,"type":"ok","f":"write","key":"a","value":1}
{"process":1,"type":"invoke","f":"write","key":"b","value":2}
{"process":1,"type":"ok","f":"write","key":"b","value":2}
{"process":2,"type":"invoke","f":"read","key":"a","value":null}
{"process":2,"type":"ok","f":"read","key":"a","value":1}
{"process":3,"type":"invoke","f":"read","key":"b","value":null}
{"process":3,"type":"ok","f":"read","key":"b","value":1}`;

  it('checks each key as its own register and names the key that fails', async () => {
    const r = await check(keyed, 'cas-register', { init: 0, checkAllPartitions: true });
    expect(r.valid).toBe(false);
    expect(r.stats!.partitions).toBe(2);
    expect(details(r).partitions.map((p) => [p.label, p.verdict])).toEqual([
      ['key "a"', 'valid'],
      ['key "b"', 'invalid'],
    ]);
    expect(r.anomalies[0]!.explanation).toMatch(/^Key "b": process 3's read 1 \(op 7\) cannot be linearized: can't read 1 from register 2/);
  });

  it('reads Jepsen independent [key value] tuples when asked', async () => {
    const tuples = `[{:process 0 :type :invoke :f :write :value [:a 1]} {:process 0 :type :ok :f :write :value [:a 1]}
      {:process 1 :type :invoke :f :read :value [:b nil]} {:process 1 :type :ok :f :read :value [:b 1]}]`;
    const r = await check(tuples, 'cas-register', { init: 0, independent: true });
    expect(r.valid).toBe(false);
    expect(details(r).failures[0]!.label).toBe('key "b"');
    await expect(check(`[{:process 0 :type :invoke :f :write :value 1} {:process 0 :type :ok :f :write :value 1}]`, 'register', { independent: true })).rejects.toThrow(/not an independent \[key value\] tuple/);
  });

  it('stops at the first violation unless asked to check every key', async () => {
    const history = kvHistory({ seed: 3, ops: 400, clients: 10, keys: 5, corrupt: true });
    const first = await linearizabilityChecker.check(history, 'kv', { workers: 1 });
    const all = await linearizabilityChecker.check(history, 'kv', { workers: 1, checkAllPartitions: true });
    expect(first.valid).toBe(false);
    expect(all.valid).toBe(false);
    expect(all.stats!.stoppedPartitions).toBe(0);
    expect(all.stats!.invalidPartitions).toBe(1);
    expect(details(all).partitions.filter((p) => p.verdict === 'valid')).toHaveLength(4);
  });

  it('gives the same verdicts in worker threads as on one thread', async () => {
    for (const corrupt of [false, true]) {
      const history = kvHistory({ seed: 11, ops: 1200, clients: 10, keys: 6, corrupt });
      const inline = await linearizabilityChecker.check(history, 'kv', { workers: 1, checkAllPartitions: true });
      const threaded = await linearizabilityChecker.check(history, 'kv', { workers: 2, workerThresholdOps: 0, checkAllPartitions: true });
      expect(threaded.stats!.workers).toBe(2);
      expect(threaded.valid).toBe(inline.valid);
      expect(details(threaded).partitions.map((p) => p.verdict)).toEqual(details(inline).partitions.map((p) => p.verdict));
      expect(threaded.anomalies.map((a) => a.explanation)).toEqual(inline.anomalies.map((a) => a.explanation));
    }
  });
});

describe('budget', () => {
  // The budget is checked from the first search step, so even an easy history runs out of a spent budget.
  const hard = casRegisterHistory({ seed: 5, ops: 120, clients: 40, infoOps: 10 });

  it('answers unknown, never hangs, when the time limit passes', async () => {
    const r = await linearizabilityChecker.check(hard, 'cas-register', { init: 0, workers: 1, timeLimitMs: -1 });
    expect(r.valid).toBe('unknown');
    expect(r.anomalyTypes).toEqual(['search-timeout']);
  });

  it('answers unknown when the memory budget is exhausted', async () => {
    const r = await linearizabilityChecker.check(hard, 'cas-register', { init: 0, workers: 1, memoryLimitMb: 0.001 });
    expect(r.valid).toBe('unknown');
    expect(r.anomalyTypes).toEqual(['search-out-of-memory']);
  });
});

describe('synthetic histories', () => {
  it('are linearizable by construction, and not once corrupted', async () => {
    for (const seed of [1, 2, 3]) {
      const ok = casRegisterHistory({ seed, ops: 100, clients: 5, infoOps: 15 });
      const bad = casRegisterHistory({ seed, ops: 100, clients: 5, infoOps: 15, corrupt: true });
      expect((await linearizabilityChecker.check(ok, 'cas-register', { init: 0, workers: 1 })).valid).toBe(true);
      const r = await linearizabilityChecker.check(bad, 'cas-register', { init: 0, workers: 1 });
      expect(r.valid).toBe(false);
      expect(reason(r)).toMatch(/^can't read 5 from register/);
    }
  });

  it('are deterministic for a seed', () => {
    expect(kvHistory({ seed: 9, ops: 50, clients: 4 })).toEqual(kvHistory({ seed: 9, ops: 50, clients: 4 }));
    expect(kvHistory({ seed: 9, ops: 50, clients: 4 })).not.toEqual(kvHistory({ seed: 10, ops: 50, clients: 4 }));
  });
});

describe('errors', () => {
  it('names an op the model does not have', async () => {
    await expect(check('[{:process 0 :type :invoke :f :frob :value 1} {:process 0 :type :ok :f :frob :value 1}]', 'cas-register')).rejects.toThrow(
      /op 0 is 'frob', which the cas-register model does not have; its operations are read, write, cas/,
    );
  });

  it('names a malformed value', async () => {
    await expect(check('[{:process 0 :type :invoke :f :cas :value 1} {:process 0 :type :ok :f :cas :value 1}]', 'cas-register')).rejects.toThrow(/cas needs a value \[old new\], found 1/);
  });

  it('says when a model does not exist', async () => {
    await expect(check('[]', 'btree')).rejects.toThrow(/no linearizability model 'btree'/);
  });
});
