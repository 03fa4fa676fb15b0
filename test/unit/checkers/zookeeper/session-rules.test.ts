import { describe, expect, it } from 'vitest';
import type { Op } from '../../../../checkers/history/op.js';
import { zookeeperSessionChecker } from '../../../../checkers/zookeeper/zookeeper-session-checker.js';

/**
 * A tiny recorder for ZooKeeper histories in the documented op shapes: `call` invokes,
 * `reply` completes with ok (or fail), `event` records a watch or session-expired event.
 */
class Recorder {
  readonly ops: Op[] = [];
  private readonly open = new Map<string, Op>();
  call(lane: string, client: string, f: string, value: Record<string, unknown>, extra: Record<string, unknown> = {}): this {
    const op: Op = { index: this.ops.length, process: lane, client, type: 'invoke', f, value, ...extra };
    this.open.set(lane, op);
    this.ops.push(op);
    return this;
  }
  reply(lane: string, zxid: number, value: Record<string, unknown> = {}, opts: { session?: string; fail?: boolean } = {}): this {
    const invoke = this.open.get(lane)!;
    this.open.delete(lane);
    this.ops.push({ index: this.ops.length, process: lane, client: invoke.client, type: opts.fail ? 'fail' : 'ok', f: invoke.f, value: { ...(invoke.value as object), ...value }, zxid, session: opts.session ?? `s-${String(invoke.client)}` });
    return this;
  }
  event(client: string, f: 'watch' | 'session-expired', value: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): this {
    this.ops.push({ index: this.ops.length, process: 'events', client, type: 'info', f, value, ...extra });
    return this;
  }
}

const check = (r: Recorder) => zookeeperSessionChecker.check(r.ops, 'zookeeper-session');

describe('ZooKeeper session rules', () => {
  it('accepts a history that keeps every rule', async () => {
    const h = new Recorder()
      .call('a1', 'A', 'create', { path: '/x', flags: 'persistent' }).reply('a1', 1, { path: '/x' })
      .call('a1', 'A', 'get', { path: '/x', watch: true }).reply('a1', 1, { exists: true, mzxid: 1 })
      .call('b1', 'B', 'set', { path: '/x' }).reply('b1', 2, { mzxid: 2 })
      .event('A', 'watch', { type: 'NodeDataChanged', path: '/x' }, { zxid: 2 })
      .call('a1', 'A', 'get', { path: '/x' }).reply('a1', 2, { exists: true, mzxid: 2 })
      .call('a1', 'A', 'create', { path: '/q/n-', flags: 'sequential' }).reply('a1', 3, { path: '/q/n-0000000000' })
      .call('b1', 'B', 'create', { path: '/q/n-', flags: 'sequential' }).reply('b1', 4, { path: '/q/n-0000000001' })
      .call('b1', 'B', 'create', { path: '/e', flags: 'ephemeral' }).reply('b1', 5, { path: '/e' })
      .call('b1', 'B', 'close', {}).reply('b1', 6)
      .call('a1', 'A', 'exists', { path: '/e' }).reply('a1', 6, { exists: false });
    const r = await check(h);
    expect(r.anomalies).toEqual([]);
    expect(r.valid).toBe(true);
    expect(r.summary).toMatch(/All 6 session rules hold over 9 requests from 2 clients and 1 events/);
  });

  it('rejects replies out of FIFO order for one client', async () => {
    // Two lanes pipeline on client A; the later request (xid 2) is answered first.
    const h = new Recorder()
      .call('a1', 'A', 'get', { path: '/x' }, { xid: 1 })
      .call('a2', 'A', 'get', { path: '/y' }, { xid: 2 })
      .reply('a2', 5, { exists: false })
      .reply('a1', 5, { exists: false });
    const r = await check(h);
    expect(r.valid).toBe(false);
    expect(r.anomalyTypes).toEqual(['zk-reply-order']);
    expect(r.anomalies[0]!.explanation).toMatch(/Client A got the reply to get \/x by client A \(op 3\) after the reply to get \/y by client A \(op 2\), which it sent later/);
  });

  it('rejects a session whose zxid goes back', async () => {
    const h = new Recorder()
      .call('a1', 'A', 'get', { path: '/x' }).reply('a1', 9, { exists: false })
      .call('a1', 'A', 'get', { path: '/x' }).reply('a1', 7, { exists: false });
    const r = await check(h);
    expect(r.anomalyTypes).toEqual(['zk-zxid-regression']);
    expect(r.anomalies[0]!.explanation).toMatch(/Session s-A saw zxid 0x7 in the reply to get \/x \(op 3\) after zxid 0x9 in the reply to get \/x \(op 1\)/);
  });

  it('rejects a read older than what the client has seen (its own write)', async () => {
    const h = new Recorder()
      .call('b1', 'B', 'create', { path: '/x' }).reply('b1', 1, { path: '/x' })
      .call('a1', 'A', 'set', { path: '/x' }).reply('a1', 4, { mzxid: 4 })
      // Reconnected to a lagging follower: the reply header says 4 but the data is from zxid 1.
      .call('a1', 'A', 'get', { path: '/x' }).reply('a1', 4, { exists: true, mzxid: 1 });
    const r = await check(h);
    expect(r.anomalyTypes).toEqual(['zk-stale-read']);
    expect(r.anomalies[0]!.explanation).toMatch(/Get \/x by client A \(op 5\) returned version with mzxid 0x1, older than what client A had already seen: it had seen zxid 0x4 \(op 3\), which includes set \/x by client A at zxid 0x4/);
  });

  it('rejects a read that misses a znode the client had seen created', async () => {
    const h = new Recorder()
      .call('b1', 'B', 'create', { path: '/x' }).reply('b1', 3, { path: '/x' })
      .call('a1', 'A', 'exists', { path: '/other' }).reply('a1', 3, { exists: false })
      .call('a1', 'A', 'exists', { path: '/x' }).reply('a1', 3, { exists: false });
    const r = await check(h);
    expect(r.anomalyTypes).toEqual(['zk-stale-read']);
    expect(r.anomalies[0]!.explanation).toMatch(/returned no znode/);
  });

  it('rejects new data seen before the watch event', async () => {
    const h = new Recorder()
      .call('b1', 'B', 'create', { path: '/x' }).reply('b1', 1, { path: '/x' })
      .call('a1', 'A', 'get', { path: '/x', watch: true }).reply('a1', 1, { exists: true, mzxid: 1 })
      .call('b1', 'B', 'set', { path: '/x' }).reply('b1', 2, { mzxid: 2 })
      .call('a1', 'A', 'get', { path: '/x' }).reply('a1', 2, { exists: true, mzxid: 2 })
      .event('A', 'watch', { type: 'NodeDataChanged', path: '/x' }, { zxid: 2 });
    const r = await check(h);
    expect(r.anomalyTypes).toEqual(['zk-watch-order']);
    expect(r.anomalies[0]!.explanation).toMatch(/Client A saw the set of \/x at zxid 0x2 \(op 5\) in get \/x by client A \(op 7\) before the NodeDataChanged event \(op 8\)/);
  });

  it('rejects a child watch whose children change is seen first', async () => {
    const h = new Recorder()
      .call('a1', 'A', 'children', { path: '/p', watch: true }).reply('a1', 1, { children: [] })
      .call('b1', 'B', 'create', { path: '/p/c' }).reply('b1', 2, { path: '/p/c' })
      .call('a1', 'A', 'children', { path: '/p' }).reply('a1', 2, { children: ['c'] });
    const r = await check(h);
    expect(r.anomalyTypes).toEqual(['zk-watch-order']);
    expect(r.anomalies[0]!.explanation).toMatch(/and never got the watch event/);
  });

  it('rejects sequential suffixes that go backwards or repeat', async () => {
    const h = new Recorder()
      .call('a1', 'A', 'create', { path: '/q/n-', flags: 'ephemeral-sequential' }).reply('a1', 3, { path: '/q/n-0000000005' })
      .call('b1', 'B', 'create', { path: '/q/n-', flags: 'ephemeral-sequential' }).reply('b1', 4, { path: '/q/n-0000000004' })
      .call('b1', 'B', 'create', { path: '/q/n-', flags: 'sequential' }).reply('b1', 5, { path: '/q/n-0000000004' });
    const r = await check(h);
    expect(r.anomalyTypes).toEqual(['zk-sequential-order']);
    const text = r.anomalies.map((a) => a.explanation).join('\n');
    expect(text).toMatch(/Sequential suffix 0000000004 under \/q was given to 2 creates/);
    expect(text).toMatch(/create \/q\/n-0000000004 by client B \(op 3\) at zxid 0x4 got suffix 0000000004, not above 0000000005/);
    expect(text).toMatch(/started after create \/q\/n-0000000005 by client A \(op 1\) had finished, yet got the smaller suffix 0000000004/);
  });

  it('rejects an ephemeral znode that outlives its expired session', async () => {
    const h = new Recorder()
      .call('b1', 'B', 'create', { path: '/lock', flags: 'ephemeral' }).reply('b1', 2, { path: '/lock' }, { session: '0x10' })
      .event('B', 'session-expired', {}, { session: '16' })
      .call('a1', 'A', 'exists', { path: '/lock' }).reply('a1', 3, { exists: true, ephemeralOwner: '0x10', czxid: 2, mzxid: 2 });
    const r = await check(h);
    expect(r.anomalyTypes).toEqual(['zk-ephemeral-leak']);
    expect(r.anomalies[0]!.explanation).toMatch(/Exists \/lock by client A \(op 4\) still found the ephemeral \/lock, created by session 0x10 at zxid 0x2 \(op 1\), although that session had ended \(client B was told the session expired, op 2\)/);
  });

  it('does not blame an ephemeral path someone created again', async () => {
    const h = new Recorder()
      .call('b1', 'B', 'create', { path: '/lock', flags: 'ephemeral' }).reply('b1', 2, { path: '/lock' })
      .call('b1', 'B', 'close', {}).reply('b1', 3)
      .call('c1', 'C', 'create', { path: '/lock', flags: 'ephemeral' }).reply('c1', 4, { path: '/lock' })
      .call('a1', 'A', 'get', { path: '/lock' }).reply('a1', 4, { exists: true, ephemeralOwner: 's-C', mzxid: 4 });
    expect((await check(h)).valid).toBe(true);
  });

  it('refuses ops it does not know', async () => {
    const h = new Recorder().call('a1', 'A', 'frob', {}).reply('a1', 1);
    await expect(check(h)).rejects.toThrow(/op 0 is 'frob', which is not a ZooKeeper request/);
  });
});
