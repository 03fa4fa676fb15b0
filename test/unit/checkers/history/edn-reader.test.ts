import { describe, expect, it } from 'vitest';
import { readAllEdn } from '../../../../checkers/history/edn-reader.js';
import { HistoryError } from '../../../../checkers/history/history-error.js';

describe('EdnReader', () => {
  it('maps EDN data to plain JS data', () => {
    const [v] = readAllEdn('{:type :invoke, :f :cas, :value [1 2], :process :nemesis, :n nil, :ok true, :s "a\\"b\\n", :set #{1 2}, :l (1 (2)), 3 :three}');
    expect(v).toEqual({ type: 'invoke', f: 'cas', value: [1, 2], process: 'nemesis', n: null, ok: true, s: 'a"b\n', set: [1, 2], l: [1, [2]], '3': 'three' });
  });

  it('reads numbers, characters, namespaced keywords, symbols and tagged literals', () => {
    expect(readAllEdn('-7 +3 1.5 2e3 42N 1/2 \\a \\space :jepsen/x sym #inst "2024-01-01" #jepsen.history.Op{:index 0}')).toEqual([
      -7, 3, 1.5, 2000, 42, 0.5, 'a', ' ', 'jepsen/x', 'sym', '2024-01-01', { index: 0 },
    ]);
  });

  it('keeps integers beyond 2^53 exact as decimal text', () => {
    expect(readAllEdn('123456789012345678901')).toEqual(['123456789012345678901']);
  });

  it('skips comments, commas and #_ discards', () => {
    expect(readAllEdn('; a comment\n[1, ; two\n #_ 2 3]')).toEqual([[1, 3]]);
  });

  it('reports the line of a syntax error', () => {
    const read = () => readAllEdn('[{:a 1}\n {:b 2}\n {:c }', 'h.edn');
    expect(read).toThrow(HistoryError);
    expect(read).toThrow(/h\.edn: line 3.*map key "c" has no value/);
  });

  it('reports an unterminated collection with the line it opened on', () => {
    expect(() => readAllEdn('\n\n[{:a 1}\n')).toThrow(/opened on line 3: missing '\]'/);
  });

  it('rejects a bad number', () => {
    expect(() => readAllEdn('[1x]')).toThrow(/bad number '1x'/);
  });
});
