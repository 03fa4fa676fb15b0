import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../../common/logger.js';
import { Persistence } from '../../../../servers/zookeeper/storage/persistence.js';
import { readLogFile, listLogs } from '../../../../servers/zookeeper/storage/txn-log.js';
import { listSnapshots, readSnapshot } from '../../../../servers/zookeeper/storage/snapshot.js';
import { OPEN_ACL_UNSAFE } from '../../../../servers/zookeeper/tree/acl.js';
import { DataTree } from '../../../../servers/zookeeper/tree/data-tree.js';
import { TxnType, type Txn } from '../../../../servers/zookeeper/tree/txn.js';

const treeOptions = { extendedTypesEnabled: false, emulate353TtlNodes: false };
const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'kz-zk-storage-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function open(dir: string, onFatal: (e: Error) => void = (e) => { throw e; }) {
  const p = new Persistence({ dataDir: dir, dataLogDir: dir, forceSync: true, preAllocSize: 64 * 1024, log: silentLogger, onFatal });
  const state = p.recover(treeOptions);
  let zxid = state.lastZxid;
  const commit = (txn: Txn, sessionId = 0n) => {
    const header = { sessionId, cxid: 1, zxid: ++zxid, time: 5, type: txn.type };
    p.log.append({ header, txn });
    return state.tree.processTxn(header, txn);
  };
  const create = (p2: string, data = 'v') =>
    commit({ type: TxnType.create, path: p2, data: Buffer.from(data), acl: OPEN_ACL_UNSAFE, ephemeralOwner: 0n, parentCVersion: -1 });
  return { p, state, commit, create, durable: () => p.waitDurable(zxid) };
}

function snapshotOf(tree: DataTree) {
  return [...tree.walk()].map(([p, n]) => [p, n.data === null ? null : Buffer.from(n.data).toString(), n.czxid, n.mzxid, n.pzxid, n.version, n.cversion]);
}

describe('transaction log and snapshots', () => {
  it('recovers every durable txn after a restart', async () => {
    const dir = tempDir();
    const a = open(dir);
    for (let i = 0; i < 50; i++) a.create(`/n${i}`, `data${i}`);
    a.commit({ type: TxnType.setData, path: '/n3', data: Buffer.from('changed'), version: 1 });
    a.commit({ type: TxnType.createSession, timeout: 6000 }, 99n);
    await a.durable();
    await a.p.close();
    const expected = snapshotOf(a.state.tree);
    const b = open(dir);
    expect(b.state.lastZxid).toBe(52);
    expect(snapshotOf(b.state.tree)).toEqual(expected);
    expect(b.state.sessions.get(99n)).toBe(6000);
    await b.p.close();
  });

  it('groups appends made in one turn of the event loop into one fsync batch', async () => {
    const dir = tempDir();
    const a = open(dir);
    for (let i = 0; i < 200; i++) a.create(`/n${i}`);
    await a.durable();
    expect(a.p.log.batches).toBe(1);
    await a.p.close();
  });

  it('cuts a torn tail (a record half written when the process died) and keeps everything before it', async () => {
    const dir = tempDir();
    const a = open(dir);
    for (let i = 0; i < 10; i++) a.create(`/n${i}`);
    await a.durable();
    await a.p.close();
    const [log] = listLogs(path.join(dir, 'version-2'));
    const result = readLogFile(log!.path, () => {});
    // Simulate a crash mid-write: a length prefix and half a payload after the last record.
    truncateSync(log!.path, result.validEnd);
    appendFileSync(log!.path, Buffer.from([0, 0, 0, 40, 1, 2, 3, 4, 9, 9, 9]));
    const b = open(dir);
    expect(b.state.lastZxid).toBe(10);
    expect(statSync(log!.path).size).toBe(result.validEnd);
    b.create('/after');
    await b.durable();
    await b.p.close();
    const c = open(dir);
    expect(c.state.tree.getNode('/after')).toBeDefined();
    expect(c.state.lastZxid).toBe(11);
    await c.p.close();
  });

  it('stops at a record whose CRC does not match', async () => {
    const dir = tempDir();
    const a = open(dir);
    for (let i = 0; i < 5; i++) a.create(`/n${i}`);
    await a.durable();
    await a.p.close();
    const [log] = listLogs(path.join(dir, 'version-2'));
    const bytes = readFileSync(log!.path);
    let seen = 0;
    const ends: number[] = [];
    readLogFile(log!.path, () => seen++);
    // Flip one byte inside the last record's payload.
    const valid = readLogFile(log!.path, () => {}).validEnd;
    bytes[valid - 3] = bytes[valid - 3]! ^ 0xff;
    writeFileSync(log!.path, bytes);
    const r = readLogFile(log!.path, (e) => ends.push(e.header.zxid));
    expect(r.torn).toBe(true);
    expect(r.problem).toMatch(/CRC/);
    expect(ends).toEqual([1, 2, 3, 4]);
    expect(seen).toBe(5);
  });

  it('writes a snapshot, rolls the log, and recovers from snapshot + later log', async () => {
    const dir = tempDir();
    const a = open(dir);
    for (let i = 0; i < 20; i++) a.create(`/n${i}`);
    await a.durable();
    const snap = await a.p.snapshot(a.state.tree, [{ id: 5n, timeout: 4000 }], () => 1)!;
    expect(snap.lastZxid).toBe(20);
    for (let i = 20; i < 30; i++) a.create(`/n${i}`);
    a.commit({ type: TxnType.delete, path: '/n0' });
    await a.durable();
    await a.p.close();
    expect(listLogs(path.join(dir, 'version-2')).length).toBeGreaterThanOrEqual(2);
    const expected = snapshotOf(a.state.tree);
    const b = open(dir);
    expect(b.state.snapshotFile).toBe(snap.file);
    expect(snapshotOf(b.state.tree)).toEqual(expected);
    expect(b.state.sessions.get(5n)).toBe(4000);
    await b.p.close();
  });

  it('takes a fuzzy snapshot while txns keep arriving and still converges on replay', async () => {
    const dir = tempDir();
    const a = open(dir);
    for (let i = 0; i < 12000; i++) a.create(`/n${i}`, 'x');
    await a.durable();
    const snapshotting = a.p.snapshot(a.state.tree, [], () => 1)!;
    // Mutate between the snapshot's chunks: deletes, creates and updates it may or may not see.
    for (let round = 0; round < 20; round++) {
      await new Promise((r) => setImmediate(r));
      a.commit({ type: TxnType.delete, path: `/n${round * 500}` });
      a.create(`/late${round}`);
      a.commit({ type: TxnType.setData, path: `/n${round * 500 + 1}`, data: Buffer.from(`r${round}`), version: 1 });
    }
    await snapshotting;
    await a.durable();
    await a.p.close();
    const expected = snapshotOf(a.state.tree);
    const b = open(dir);
    expect(snapshotOf(b.state.tree)).toEqual(expected);
    await b.p.close();
  });

  it('never uses a snapshot that was not completed (crash while writing it)', async () => {
    const dir = tempDir();
    const a = open(dir);
    for (let i = 0; i < 10; i++) a.create(`/n${i}`);
    await a.durable();
    const snap = await a.p.snapshot(a.state.tree, [], () => 1)!;
    await a.p.close();
    const bytes = readFileSync(snap.file);
    writeFileSync(snap.file, bytes.subarray(0, bytes.length - 10));
    const tree = new DataTree(treeOptions);
    expect(() => readSnapshot(snap.file, tree)).toThrow(/CRC|ends inside|trailer/);
    const b = open(dir);
    expect(b.state.snapshotFile).toBeNull();
    expect(b.state.tree.getNode('/n9')).toBeDefined();
    await b.p.close();
  });

  it('purges old snapshots and the logs only they needed, keeping the newest N', async () => {
    const dir = tempDir();
    const a = open(dir);
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 5; i++) a.create(`/r${round}-${i}`);
      await a.durable();
      await a.p.snapshot(a.state.tree, [], () => 1);
    }
    a.create('/last');
    await a.durable();
    const v2 = path.join(dir, 'version-2');
    expect(listSnapshots(v2)).toHaveLength(5);
    const removed = a.p.purge(3);
    expect(removed.snapshots).toHaveLength(2);
    expect(listSnapshots(v2)).toHaveLength(3);
    await a.p.close();
    const b = open(dir);
    expect(b.state.tree.getNode('/last')).toBeDefined();
    expect(b.state.tree.getNode('/r0-0')).toBeDefined();
    await b.p.close();
    expect(readdirSync(v2).some((n) => n.endsWith('.tmp'))).toBe(false);
  });
});

describe('foreign data directories', () => {
  it('refuses to start over Apache ZooKeeper files instead of truncating them', () => {
    const dir = tempDir();
    const v2 = path.join(dir, 'version-2');
    mkdirSync(v2, { recursive: true });
    // Apache's log header starts with "ZKLG".
    const apacheLog = Buffer.concat([Buffer.from('ZKLG'), Buffer.alloc(60)]);
    writeFileSync(path.join(v2, 'log.1'), apacheLog);
    const p = new Persistence({ dataDir: dir, dataLogDir: dir, forceSync: true, preAllocSize: 65536, log: silentLogger, onFatal: () => {} });
    expect(() => p.recover(treeOptions)).toThrow(/not a kzbench file/);
    expect(readFileSync(path.join(v2, 'log.1'))).toEqual(apacheLog);
  });
});
