import { describe, expect, it } from 'vitest';
import { Code } from '../../../../servers/zookeeper/keeper-error.js';
import { OPEN_ACL_UNSAFE } from '../../../../servers/zookeeper/tree/acl.js';
import { DataTree } from '../../../../servers/zookeeper/tree/data-tree.js';
import { CONTAINER_EPHEMERAL_OWNER, ttlToEphemeralOwner } from '../../../../servers/zookeeper/tree/ephemeral-type.js';
import { TxnType, type Txn } from '../../../../servers/zookeeper/tree/txn.js';

const opts = { extendedTypesEnabled: true, emulate353TtlNodes: false };

function harness() {
  const tree = new DataTree(opts);
  let zxid = 0;
  const apply = (txn: Txn, sessionId = 0n) => tree.processTxn({ sessionId, cxid: 0, zxid: ++zxid, time: 1000 + zxid, type: txn.type }, txn);
  const create = (path: string, owner = 0n, data: string | null = '') =>
    apply({
      type: TxnType.create,
      path,
      data: data === null ? null : Buffer.from(data),
      acl: OPEN_ACL_UNSAFE,
      ephemeralOwner: owner,
      parentCVersion: tree.getNode(path.slice(0, path.lastIndexOf('/')) || '/')!.cversion + 1,
    });
  return { tree, apply, create, zxid: () => zxid };
}

describe('DataTree', () => {
  it('starts with /, /zookeeper, /zookeeper/quota and /zookeeper/config, counted as Apache counts them', () => {
    const { tree } = harness();
    expect(tree.getChildren('/', null).children).toEqual(['zookeeper']);
    expect(tree.getChildren('/zookeeper', null).children.sort()).toEqual(['config', 'quota']);
    expect(tree.nodeCount).toBe(5);
    expect(tree.getAllChildrenNumber('/')).toBe(3);
    expect(tree.statNode('/zookeeper/config', null).aversion).toBe(-1);
    expect(tree.getNode('/zookeeper/config')!.acl).toEqual([{ perms: 1, id: { scheme: 'world', id: 'anyone' } }]);
    expect(tree.isSpecialPath('/zookeeper/quota')).toBe(true);
    expect(tree.isSpecialPath('/zookeeper/x')).toBe(false);
  });

  it('reports cversion as creates plus deletes (stored creates x2 minus live children)', () => {
    const { tree, apply, create } = harness();
    create('/a');
    create('/a/b');
    create('/a/c');
    expect(tree.statNode('/a', null).cversion).toBe(2);
    apply({ type: TxnType.delete, path: '/a/b' });
    const stat = tree.statNode('/a', null);
    expect(stat.cversion).toBe(3);
    expect(stat.numChildren).toBe(1);
    expect(tree.getNode('/a')!.cversion).toBe(2); // what sequential names are made from
  });

  it('keeps pzxid, mzxid, versions and dataLength like Apache', () => {
    const { tree, apply, create } = harness();
    create('/a', 0n, 'hello');
    const created = tree.statNode('/a', null);
    expect(created).toMatchObject({ czxid: 1, mzxid: 1, pzxid: 1, version: 0, dataLength: 5, numChildren: 0, ephemeralOwner: 0n });
    apply({ type: TxnType.setData, path: '/a', data: null, version: 1 });
    expect(tree.statNode('/a', null)).toMatchObject({ mzxid: 2, version: 1, dataLength: 0 });
    expect(tree.getData('/a', null).data).toBeNull();
    create('/a/b');
    expect(tree.statNode('/a', null).pzxid).toBe(3);
    apply({ type: TxnType.setACL, path: '/a', acl: OPEN_ACL_UNSAFE, version: 1 });
    expect(tree.statNode('/a', null).aversion).toBe(1);
  });

  it('indexes ephemerals by session and reports container and TTL owners as 0 to clients', () => {
    const { tree, apply, create } = harness();
    create('/e1', 7n);
    create('/e2', 7n);
    create('/c', CONTAINER_EPHEMERAL_OWNER);
    create('/t', ttlToEphemeralOwner(5000n));
    expect(tree.getEphemerals(7n).sort()).toEqual(['/e1', '/e2']);
    expect(tree.statNode('/e1', null).ephemeralOwner).toBe(7n);
    expect(tree.statNode('/c', null).ephemeralOwner).toBe(0n);
    expect(tree.statNode('/t', null).ephemeralOwner).toBe(0n);
    expect([...tree.containers]).toEqual(['/c']);
    expect([...tree.ttls]).toEqual(['/t']);
    apply({ type: TxnType.closeSession, paths: ['/e1', '/e2'] }, 7n);
    expect(tree.getNode('/e1')).toBeUndefined();
    expect(tree.getEphemerals(7n)).toEqual([]);
  });

  it('turns a failed multi into ErrorTxn(0) before the failure and RUNTIMEINCONSISTENCY after, applying nothing', () => {
    const { tree, apply } = harness();
    const rc = apply({
      type: TxnType.multi,
      txns: [
        { type: TxnType.create, path: '/m', data: null, acl: OPEN_ACL_UNSAFE, ephemeralOwner: 0n, parentCVersion: 1 },
        { type: TxnType.error, err: Code.NONODE },
        { type: TxnType.error, err: Code.RUNTIMEINCONSISTENCY },
      ],
    });
    expect(rc.multiResult!.map((r) => [r.type, r.err])).toEqual([
      [-1, 0],
      [-1, Code.NONODE],
      [-1, Code.RUNTIMEINCONSISTENCY],
    ]);
    expect(tree.getNode('/m')).toBeUndefined();
    expect(tree.lastProcessedZxid).toBe(1);
  });

  it('replays idempotently over a fuzzy snapshot: an existing node still moves the parent cversion forward', () => {
    const { tree, apply } = harness();
    apply({ type: TxnType.create, path: '/x', data: null, acl: OPEN_ACL_UNSAFE, ephemeralOwner: 0n, parentCVersion: 1 });
    const rc = apply({ type: TxnType.create, path: '/x', data: null, acl: OPEN_ACL_UNSAFE, ephemeralOwner: 0n, parentCVersion: 5 });
    expect(rc.err).toBe(Code.NODEEXISTS);
    expect(tree.getNode('/')!.cversion).toBe(5);
    expect(apply({ type: TxnType.delete, path: '/nope' }).err).toBe(Code.NONODE);
  });

  it('keeps quota stats in /zookeeper/quota/<path>/zookeeper_stats as nodes come and go', () => {
    const { tree, apply, create } = harness();
    create('/q', 0n, 'abc');
    create('/q/x', 0n, '12345');
    create('/zookeeper/quota/q');
    create('/zookeeper/quota/q/zookeeper_limits', 0n, 'count=10,bytes=-1');
    create('/zookeeper/quota/q/zookeeper_stats', 0n, 'count=0,bytes=0');
    const stats = () => Buffer.from(tree.getData('/zookeeper/quota/q/zookeeper_stats', null).data!).toString();
    expect(stats()).toBe('count=2,bytes=8');
    create('/q/y', 0n, 'zz');
    expect(stats()).toBe('count=3,bytes=10');
    apply({ type: TxnType.setData, path: '/q/y', data: Buffer.from('z'), version: 1 });
    expect(stats()).toBe('count=3,bytes=9');
    apply({ type: TxnType.delete, path: '/q/x' });
    expect(stats()).toBe('count=2,bytes=4');
    expect(tree.maxPrefixWithQuota('/q/y')).toBe('/q');
    expect(tree.maxPrefixWithQuota('/qq')).toBeNull();
    apply({ type: TxnType.delete, path: '/zookeeper/quota/q/zookeeper_limits' });
    expect(tree.maxPrefixWithQuota('/q/y')).toBeNull();
  });

  it('counts all descendants for getAllChildrenNumber', () => {
    const { tree, create } = harness();
    create('/a');
    create('/a/b');
    create('/a/b/c');
    create('/a/d');
    expect(tree.getAllChildrenNumber('/a')).toBe(3);
    expect(tree.getAllChildrenNumber('/a/b/c')).toBe(0);
  });

  it('walks parents before children, so a snapshot can be reloaded node by node', () => {
    const { tree, create } = harness();
    create('/a');
    create('/a/b');
    create('/c');
    const order = [...tree.walk()].map(([p]) => p);
    expect(order.indexOf('/a')).toBeLessThan(order.indexOf('/a/b'));
    expect(order[0]).toBe('/');
    expect(order).toHaveLength(tree.znodeCount);
  });
});
