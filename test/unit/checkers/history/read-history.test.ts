import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectHistoryFormat, pairOps, parseHistory, parseHistoryDetailed, readHistoryFile, HistoryError } from '../../../../checkers/history/index.js';

const jsonl = [
  '{"index":0,"time":10,"process":0,"type":"invoke","f":"write","value":3,"key":"a"}',
  '{"index":1,"time":20,"process":0,"type":"ok","f":"write","value":3,"key":"a"}',
  '',
  '{"index":2,"time":30,"process":"nemesis","type":"info","f":"kill","value":null}',
].join('\n');

const edn = `; a Knossos-style vector
[{:process 0, :type :invoke, :f :write, :value 3}
 {:process 0, :type :ok, :f :write, :value 3}
 {:process 1 :type :invoke :f :cas :value [3 4]}
 {:process 1 :type :fail :f :cas :value [3 4]}]`;

const ednStream = `{:index 10 :type :invoke :process 2 :f :txn :value [[:append 9 2]]}
; comment between ops
{:index 11 :type :ok :process 2 :f :txn :value [[:append 9 2]]}`;

const log = [
  'INFO  jepsen.core - Running test',
  'INFO  jepsen.util - 0\t:invoke\t:read\tnil',
  'INFO  jepsen.util - 0\t:ok\t:read\t3',
  'INFO  jepsen.util - 1   :invoke :cas    [3 0]',
  'INFO  jepsen.util - 1\t:info\t:cas\t:timed-out',
  'INFO  jepsen.util - :nemesis\t:info\t:start\tnil',
].join('\n');

describe('history formats', () => {
  it('detects each format', () => {
    expect(detectHistoryFormat(jsonl)).toBe('jsonl');
    expect(detectHistoryFormat(edn)).toBe('edn');
    expect(detectHistoryFormat(ednStream)).toBe('edn');
    expect(detectHistoryFormat(log)).toBe('jepsen-log');
    expect(() => detectHistoryFormat('hello world')).toThrow(/cannot tell the history format.*--format/);
  });

  it('reads history.jsonl', () => {
    const ops = parseHistory(jsonl);
    expect(ops).toHaveLength(3);
    expect(ops[0]).toEqual({ index: 0, time: 10, process: 0, type: 'invoke', f: 'write', value: 3, key: 'a' });
    expect(ops[2]!.process).toBe('nemesis');
  });

  it('reads a Jepsen EDN vector with keywords as strings and nil as null', () => {
    const { ops, lines, format } = parseHistoryDetailed(edn);
    expect(format).toBe('edn');
    expect(ops.map((o) => [o.index, o.process, o.type, o.f, o.value])).toEqual([
      [0, 0, 'invoke', 'write', 3],
      [1, 0, 'ok', 'write', 3],
      [2, 1, 'invoke', 'cas', [3, 4]],
      [3, 1, 'fail', 'cas', [3, 4]],
    ]);
    expect(lines).toEqual([2, 3, 4, 5]);
  });

  it('reads a stream of EDN maps and keeps sparse source indices', () => {
    const ops = parseHistory(ednStream);
    expect(ops.map((o) => [o.index, o.sourceIndex, o.value])).toEqual([
      [0, 10, [['append', 9, 2]]],
      [1, 11, [['append', 9, 2]]],
    ]);
  });

  it('fills missing fields from defaults, and otherwise names what is missing', () => {
    const text = '{:index 0 :type :invoke :value [[:r 1 nil]]}\n{:index 1 :type :ok :value [[:r 1 [1]]]}';
    expect(() => parseHistory(text)).toThrow(/line 1: op has no f \(operation name\)/);
    expect(parseHistory(text, { defaults: { process: 0, f: 'txn' } })[1]).toMatchObject({ process: 0, f: 'txn', type: 'ok' });
    expect(() => parseHistory('{:index 0 :type :invoke :f :read :process 1}\n{:index 1 :type :ok :f :read}')).toThrow(/line 2: op has no process/);
  });

  it('reads a history without processes as sequential: each operation its own process', () => {
    const text = [
      '{:index 0 :type :invoke :value [[:append 1 1]]}',
      '{:index 1 :type :ok :value [[:append 1 1]]}',
      '{:index 2 :type :invoke :value [[:r 1 nil]]}',
      '{:index 3 :type :info :value [[:r 1 nil]]}',
      '{:index 4 :type :invoke :value [[:r 1 nil]]}',
      '{:index 5 :type :ok :value [[:r 1 [1]]]}',
    ].join('\n');
    const ops = parseHistory(text, { defaults: { f: 'txn' } });
    expect(ops.map((o) => o.process)).toEqual([0, 0, 2, 2, 4, 4]);
    expect(pairOps(ops).pairs.map((p) => [p.invoke.index, p.completion?.index, p.outcome])).toEqual([
      [0, 1, 'ok'],
      [2, 3, 'info'],
      [4, 5, 'ok'],
    ]);
    // Overlapping operations cannot be paired without processes; nor can a history mix both.
    expect(() => parseHistory('{:type :invoke :f :read}\n{:type :invoke :f :read}')).toThrow(/line 2: op has no process and invokes while op 0 is still open/);
    expect(() => parseHistory('{:type :invoke :f :read}\n{:type :ok :f :read :process 3}')).toThrow(/line 2: op names process 3, but the history's first op named none/);
  });

  it('reads 2014 Jepsen log lines: nil, integers, tuples, :timed-out and the nemesis', () => {
    const ops = parseHistory(log);
    expect(ops).toEqual([
      { index: 0, process: 0, type: 'invoke', f: 'read', value: null },
      { index: 1, process: 0, type: 'ok', f: 'read', value: 3 },
      { index: 2, process: 1, type: 'invoke', f: 'cas', value: [3, 0] },
      { index: 3, process: 1, type: 'info', f: 'cas', error: 'timed-out' },
      { index: 4, process: 'nemesis', type: 'info', f: 'start', value: null },
    ]);
  });

  it('lets --format override detection', () => {
    expect(() => parseHistory(edn, { format: 'jsonl' })).toThrow(/line 1: not valid JSON/);
  });

  it('names the line and reason of malformed JSONL', () => {
    const bad = '{"process":0,"type":"invoke","f":"read"}\n{"process":0,"type":"done","f":"read"}';
    expect(() => parseHistory(bad, { source: 'h.jsonl' })).toThrow(/h\.jsonl: line 2: op has type "done"; expected one of invoke, ok, fail, info/);
    expect(() => parseHistory('{"process":0,"type":"invoke","f":"read"}\n{"process":0,"type":"ok"', { format: 'jsonl' })).toThrow(/line 2: not valid JSON/);
    expect(() => parseHistory('{"process":1.5,"type":"invoke","f":"read"}')).toThrow(/line 1: op process must be an integer or a name/);
  });

  it('rejects badly paired histories with the line of the offending op', () => {
    const twice = '{"process":0,"type":"invoke","f":"read"}\n{"process":0,"type":"invoke","f":"write","value":1}';
    expect(() => parseHistory(twice)).toThrow(/line 2: process 0 invokes write \(op 1\) while its read \(op 0\) is still open/);
    const orphan = '[{:process 4 :type :ok :f :read :value 1}]';
    expect(() => parseHistory(orphan)).toThrow(/line 1: process 4 completes read with ok \(op 0\) but it has no open invocation/);
  });
});

describe('readHistoryFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kz-history-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a file and detects its format', async () => {
    const path = join(dir, 'h.edn');
    await writeFile(path, edn);
    expect(await readHistoryFile(path)).toHaveLength(4);
  });

  it('says a missing file is unreadable (a usage error, exit 2)', async () => {
    const err = await readHistoryFile(join(dir, 'absent.jsonl')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HistoryError);
    expect(err).toMatchObject({ code: 'KZ_HISTORY_UNREADABLE', exitCode: 2 });
    expect((err as Error).message).toMatch(/absent\.jsonl: cannot read history: no such file/);
  });
});
