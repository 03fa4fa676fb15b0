import { describe, expect, it } from 'vitest';
import type { Op } from '../../../checkers/history/op.js';
import { zookeeperSessionChecker } from '../../../checkers/zookeeper/zookeeper-session-checker.js';
import { ZkSessionTrace } from '../../../workloads/zookeeper/zk-session-trace.js';

const op = (index: number, process: number, type: Op['type'], f: string, value: unknown = null): Op => ({ index, time: index, process, type, f, value });

describe('ZooKeeper session trace', () => {
  it('joins wire facts to the recorded history under the same indices', () => {
    const trace = new ZkSessionTrace();
    trace.record(0, { f: 'set', path: '/k', client: 'c1', session: '0x1', zxid: 5n, replied: 'ok' });
    trace.record(1, { f: 'get', path: '/k', client: 'c2', session: '0x2', zxid: 5n, result: { exists: true, mzxid: '0x5' }, replied: 'ok' });
    trace.record(1, { f: 'get', path: '/k', client: 'c2', session: '0x2', replied: 'none' });
    const history = [op(0, 0, 'invoke', 'write', 3), op(1, 1, 'invoke', 'read'), op(2, 0, 'ok', 'write', 3), op(3, 1, 'ok', 'read', 3), op(4, 1, 'invoke', 'read'), op(5, 1, 'fail', 'read')];
    const derived = trace.sessionHistory(history);
    expect(derived.map((o) => [o.index, o.type, o.f, o.client, o.zxid])).toEqual([
      [0, 'invoke', 'set', 'c1', undefined],
      [1, 'invoke', 'get', 'c2', undefined],
      [2, 'ok', 'set', 'c1', '0x5'],
      [3, 'ok', 'get', 'c2', '0x5'],
      [4, 'invoke', 'get', 'c2', undefined],
      // The read failed without a reply: the process went on, so the derived op fails too.
      [5, 'fail', 'get', 'c2', undefined],
    ]);
  });

  it('a stale read in the trace is caught by the session checker', async () => {
    const trace = new ZkSessionTrace();
    trace.record(0, { f: 'set', path: '/k', client: 'c1', session: '0x1', zxid: 5n, replied: 'ok' });
    trace.record(0, { f: 'set', path: '/k', client: 'c1', session: '0x1', zxid: 9n, replied: 'ok' });
    trace.record(0, { f: 'get', path: '/k', client: 'c1', session: '0x1', zxid: 9n, result: { exists: true, mzxid: '0x5' }, replied: 'ok' });
    const history = [op(0, 0, 'invoke', 'write', 1), op(1, 0, 'ok', 'write', 1), op(2, 0, 'invoke', 'write', 2), op(3, 0, 'ok', 'write', 2), op(4, 0, 'invoke', 'read'), op(5, 0, 'ok', 'read', 1)];
    const result = await zookeeperSessionChecker.check(trace.sessionHistory(history), 'zookeeper-session');
    expect(result.valid).toBe(false);
    expect(result.anomalyTypes).toEqual(['zk-stale-read']);
  });
});
