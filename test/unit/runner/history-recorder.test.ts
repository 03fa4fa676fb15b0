import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HistoryRecorder } from '../../../workloads/runner/history-recorder.js';

describe('HistoryRecorder', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kz-history-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('streams one Jepsen-style op per line with dense indices and a fixed field order', async () => {
    const file = join(dir, 'history.jsonl');
    const h = new HistoryRecorder({ file });
    h.record({ time: 5n, process: 0, type: 'invoke', f: 'write', value: 3, key: 'k1' });
    h.record({ time: 1500, process: 'nemesis', type: 'info', f: 'start-partition', value: ['n1'] });
    h.record({ time: 9n, process: 0, type: 'ok', f: 'write', value: 3, key: 'k1', node: 'n2' });
    h.record({ time: 10n, process: 1, type: 'invoke', f: 'read' });
    const err = Object.assign(new Error('session expired'), { code: 'KZ_SESSION' });
    h.record({ time: 12n, process: 1, type: 'info', f: 'read', error: err });
    expect(h.count).toBe(5);
    await h.close();
    const text = await readFile(file, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('{"index":0,"time":5,"process":0,"type":"invoke","f":"write","value":3,"key":"k1"}');
    expect(lines[1]).toBe('{"index":1,"time":1500,"process":"nemesis","type":"info","f":"start-partition","value":["n1"]}');
    expect(lines[2]).toBe('{"index":2,"time":9,"process":0,"type":"ok","f":"write","value":3,"key":"k1","node":"n2"}');
    // A missing value is written as null, as Jepsen writes nil.
    expect(lines[3]).toBe('{"index":3,"time":10,"process":1,"type":"invoke","f":"read","value":null}');
    expect(JSON.parse(lines[4]!)).toEqual({ index: 4, time: 12, process: 1, type: 'info', f: 'read', value: null, error: 'KZ_SESSION: session expired' });
    expect(h.size).toBe(Buffer.byteLength(text));
  });

  it('writes bigint values as numbers when safe and as strings otherwise', async () => {
    const file = join(dir, 'h.jsonl');
    const h = new HistoryRecorder({ file, keep: true });
    h.record({ time: 0n, process: 0, type: 'ok', f: 'send', value: { offset: 42n, huge: 2n ** 70n } });
    await h.close();
    expect(JSON.parse(await readFile(file, 'utf8')).value).toEqual({ offset: 42, huge: '1180591620717411303424' });
    expect(h.ops[0]!.value).toEqual({ offset: 42n, huge: 2n ** 70n });
  });

  it('keeps large histories intact across chunked flushes and refuses ops after close', async () => {
    const file = join(dir, 'big.jsonl');
    const h = new HistoryRecorder({ file });
    for (let i = 0; i < 20_000; i++) h.record({ time: BigInt(i), process: i % 7, type: i % 2 ? 'ok' : 'invoke', f: 'append', value: [i, 'x'.repeat(i % 50)] });
    await h.close();
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(20_000);
    lines.forEach((line, i) => expect(JSON.parse(line).index).toBe(i));
    expect(() => h.record({ time: 0n, process: 0, type: 'invoke', f: 'x' })).toThrow(/closed/);
  });

  it('reports a file it cannot write', async () => {
    const h = new HistoryRecorder({ file: join(dir, 'missing-dir', 'history.jsonl') });
    h.record({ time: 0n, process: 0, type: 'invoke', f: 'x' });
    await expect(h.close()).rejects.toThrow(/ENOENT/);
  });
});
