import { describe, expect, it } from 'vitest';
import { pairOps, parseHistory } from '../../../../checkers/history/index.js';

const history = parseHistory(`[
 {:process 0 :type :invoke :f :read :value nil}
 {:process 1 :type :invoke :f :write :value 1}
 {:process 2 :type :invoke :f :cas :value [1 2]}
 {:process :nemesis :type :info :f :start :value nil}
 {:process 0 :type :ok :f :read :value 1}
 {:process 2 :type :fail :f :cas :value [1 2]}
 {:process 1 :type :info :f :write :value 1}
 {:process 3 :type :invoke :f :write :value 5}
 {:process 2 :type :invoke :f :read :value nil}
 {:process 2 :type :ok :f :read}
]`);

describe('pairOps', () => {
  const paired = pairOps(history);

  it('pairs per process in invocation order, taking ok values from the completion', () => {
    expect(paired.pairs.map((p) => [p.process, p.f, p.outcome, p.value, p.invoke.index, p.completion?.index])).toEqual([
      [0, 'read', 'ok', 1, 0, 4],
      [1, 'write', 'info', 1, 1, 6],
      [3, 'write', 'info', 5, 7, undefined],
      [2, 'read', 'ok', null, 8, 9],
    ]);
  });

  it('keeps fail pairs apart and nemesis ops standalone', () => {
    expect(paired.failed.map((p) => [p.invoke.index, p.completion.index])).toEqual([[2, 5]]);
    expect(paired.standalone.map((o) => o.index)).toEqual([3]);
  });

  it('refuses a crashed process that invokes again', () => {
    const reused = parseHistory('[{:process 1 :type :invoke :f :write :value 1} {:process 1 :type :info :f :write :value 1} {:process 1 :type :invoke :f :read :value nil}]', { validatePairs: false });
    expect(() => pairOps(reused)).toThrow(/process 1 invokes read \(op 2\) after its write \(op 0\) crashed with info/);
  });

  it('refuses a completion whose f differs from the invocation', () => {
    const mismatched = parseHistory('[{:process 1 :type :invoke :f :write :value 1} {:process 1 :type :ok :f :read :value 1}]', { validatePairs: false });
    expect(() => pairOps(mismatched)).toThrow(/process 1 completes read \(op 1\) but invoked write \(op 0\)/);
  });

  it('keeps the key of independent ops', () => {
    const keyed = parseHistory('{"process":0,"type":"invoke","f":"put","key":"k","value":"x"}\n{"process":0,"type":"ok","f":"put","key":"k","value":"x"}');
    expect(pairOps(keyed).pairs[0]!.key).toBe('k');
  });
});
