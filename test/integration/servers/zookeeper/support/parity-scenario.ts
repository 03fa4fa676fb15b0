import { OpCode } from '../../../../../protocols/zookeeper/index.js';
import { RawZkClient } from './raw-zk-client.js';

const OPEN = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
const b = (s: string): Buffer => Buffer.from(s);
/**
 * One client session exercising most of the protocol's semantics, recorded as a transcript
 * with times, session ids and absolute zxids normalised away, so the same script run against
 * Apache and against the reference server can be compared line by line.
 */
export async function parityTranscript(host: string, port: number): Promise<string[]> {
  const out: string[] = [];
  const c = await RawZkClient.connect(host, port);
  const base = (await c.request(OpCode.exists, { path: '/', watch: false })).header.zxid;
  const sid = c.session.sessionId;
  const norm = (v: unknown): unknown => v === undefined ? undefined : JSON.parse(JSON.stringify(v, (k, x) => {
    if (typeof x === 'bigint') {
      if (k === 'ctime' || k === 'mtime') return 'T';
      if (x === sid) return 'SID';
      if (['czxid', 'mzxid', 'pzxid'].includes(k) && x > 0n) return `Z+${x - base}`;
      return String(x);
    }
    if (k === 'children' && Array.isArray(x)) return [...x].sort();
    if (x && x.type === 'Buffer') return Buffer.from(x.data).toString();
    return x;
  }));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const run = async (label: string, type: any, body: any) => {
    const r = await c.request(type, body);
    out.push(`${label}: err=${r.header.err} zxid=Z+${r.header.zxid - base} ${JSON.stringify(norm(r.body))}`);
    return r;
  };
  await run('create /a', OpCode.create, { path: '/a', data: b('x'), acl: OPEN, flags: 0 });
  await run('create /a again', OpCode.create, { path: '/a', data: b('x'), acl: OPEN, flags: 0 });
  await run('create /a/b', OpCode.create2, { path: '/a/b', data: null, acl: OPEN, flags: 0 });
  await run('getData /a/b (null data)', OpCode.getData, { path: '/a/b', watch: false });
  await run('delete /a notempty', OpCode.delete, { path: '/a', version: -1 });
  await run('delete /a/b badversion', OpCode.delete, { path: '/a/b', version: 5 });
  await run('delete /a/b', OpCode.delete, { path: '/a/b', version: 0 });
  await run('exists /a', OpCode.exists, { path: '/a', watch: false });
  for (let i = 0; i < 3; i++) await run('create2 /s- seq', OpCode.create2, { path: '/s-', data: b(''), acl: OPEN, flags: 2 });
  await run('getChildren2 /', OpCode.getChildren2, { path: '/', watch: false });
  await run('setData /a v0', OpCode.setData, { path: '/a', data: b('y'), version: 0 });
  await run('setData /a v0 again', OpCode.setData, { path: '/a', data: b('y'), version: 0 });
  await run('setData /nope', OpCode.setData, { path: '/nope', data: b('y'), version: -1 });
  for (const p of ['a', '/a/', '/a//b', '/a/./b', '/zookeeper/x', '/', '/zookeeper', '/zookeeper/quota/q', '/\u0001']) await run(`create ${JSON.stringify(p)}`, OpCode.create, { path: p, data: b(''), acl: OPEN, flags: 0 });
  for (const p of ['/zookeeper', '/zookeeper/quota', '/zookeeper/config', '/', '/nope', 'x', '/zookeeper/quota/q']) await run(`delete ${p}`, OpCode.delete, { path: p, version: -1 });
  await run('create flags 7', OpCode.create, { path: '/f7', data: b(''), acl: OPEN, flags: 7 });
  await run('create null acl', OpCode.create, { path: '/na', data: b(''), acl: null, flags: 0 });
  await run('create empty acl', OpCode.create, { path: '/na', data: b(''), acl: [], flags: 0 });
  await run('create auth acl no auth', OpCode.create, { path: '/na', data: b(''), acl: [{ perms: 31, id: { scheme: 'auth', id: '' } }], flags: 0 });
  await run('create auth acl null id', OpCode.create, { path: '/na', data: b(''), acl: [{ perms: 31, id: { scheme: 'auth', id: null } }], flags: 0 });
  await run('create world acl null id', OpCode.create, { path: '/na', data: b(''), acl: [{ perms: 31, id: { scheme: 'world', id: null } }], flags: 0 });
  await run('create digest acl null id', OpCode.create, { path: '/na', data: b(''), acl: [{ perms: 31, id: { scheme: 'digest', id: null } }], flags: 0 });
  await run('create bad digest acl', OpCode.create, { path: '/na', data: b(''), acl: [{ perms: 31, id: { scheme: 'digest', id: 'nouser' } }], flags: 0 });
  await run('create world:other acl', OpCode.create, { path: '/na', data: b(''), acl: [{ perms: 31, id: { scheme: 'world', id: 'other' } }], flags: 0 });
  await run('create ip acl', OpCode.create, { path: '/ipn', data: b(''), acl: [{ perms: 31, id: { scheme: 'ip', id: '10.0.0.0/8' } }], flags: 0 });
  await run('getData ip acl', OpCode.getData, { path: '/ipn', watch: false });
  await run('getACL ip acl', OpCode.getACL, { path: '/ipn' });
  await run('create digest acl', OpCode.create, { path: '/dg', data: b(''), acl: [{ perms: 1, id: { scheme: 'digest', id: 'u:abc' } }, { perms: 31, id: { scheme: 'digest', id: 'v:abc' } }], flags: 0 });
  await run('getACL digest (masked)', OpCode.getACL, { path: '/dg' });
  await run('getACL /zookeeper/config', OpCode.getACL, { path: '/zookeeper/config' });
  await run('setACL bad', OpCode.setACL, { path: '/a', acl: [{ perms: 31, id: { scheme: 'digest', id: 'bad' } }], version: -1 });
  await run('setACL ok', OpCode.setACL, { path: '/a', acl: OPEN, version: 0 });
  await run('setACL badversion', OpCode.setACL, { path: '/a', acl: OPEN, version: 0 });
  await run('multi fail', OpCode.multi, { ops: [
    { type: OpCode.create, body: { path: '/m', data: b(''), acl: OPEN, flags: 0 } },
    { type: OpCode.create, body: { path: '/m/c', data: b(''), acl: OPEN, flags: 0 } },
    { type: OpCode.check, body: { path: '/nope', version: 1 } },
    { type: OpCode.delete, body: { path: '/a', version: -1 } },
  ] });
  await run('exists /m after failed multi', OpCode.exists, { path: '/m', watch: false });
  await run('multi ok', OpCode.multi, { ops: [
    { type: OpCode.create, body: { path: '/m2', data: b(''), acl: OPEN, flags: 0 } },
    { type: OpCode.create2, body: { path: '/m2/s', data: b(''), acl: OPEN, flags: 2 } },
    { type: OpCode.setData, body: { path: '/m2', data: b('q'), version: 0 } },
    { type: OpCode.check, body: { path: '/a', version: 1 } },
    { type: OpCode.delete, body: { path: '/m2/s0000000000', version: -1 } },
  ] });
  await run('multi empty', OpCode.multi, { ops: [] });
  await run('multi with read op', OpCode.multi, { ops: [{ type: OpCode.getData, body: { path: '/a', watch: false } }] });
  await run('createContainer', OpCode.createContainer, { path: '/cont', data: b(''), acl: OPEN, flags: 4 });
  await run('createTTL disabled', OpCode.createTTL, { path: '/ttl', data: b(''), acl: OPEN, flags: 5, ttl: 1000n });
  await run('create flags 5 (ttl mode)', OpCode.create, { path: '/ttl', data: b(''), acl: OPEN, flags: 5 });
  await run('create ephemeral', OpCode.create2, { path: '/e', data: b(''), acl: OPEN, flags: 1 });
  await run('create under ephemeral', OpCode.create, { path: '/e/x', data: b(''), acl: OPEN, flags: 0 });
  await run('getEphemerals', OpCode.getEphemerals, { prefixPath: '/' });
  await run('getEphemerals /x', OpCode.getEphemerals, { prefixPath: '/x' });
  await run('getAllChildrenNumber /', OpCode.getAllChildrenNumber, { path: '/' });
  await run('getAllChildrenNumber /m2', OpCode.getAllChildrenNumber, { path: '/m2' });
  await run('getAllChildrenNumber /nope', OpCode.getAllChildrenNumber, { path: '/nope' });
  await run('whoAmI', OpCode.whoAmI, undefined);
  await run('exists /w watch', OpCode.exists, { path: '/w', watch: true });
  await run('checkWatches /w data', OpCode.checkWatches, { path: '/w', type: 2 });
  await run('checkWatches /w any', OpCode.checkWatches, { path: '/w', type: 3 });
  await run('checkWatches /w child', OpCode.checkWatches, { path: '/w', type: 1 });
  await run('create /w', OpCode.create, { path: '/w', data: b(''), acl: OPEN, flags: 0 });
  await run('addWatch / recursive', OpCode.addWatch, { path: '/', mode: 1 });
  await run('addWatch /w persistent', OpCode.addWatch, { path: '/w', mode: 0 });
  await run('create /w/k', OpCode.create, { path: '/w/k', data: b(''), acl: OPEN, flags: 0 });
  await run('setData /w/k', OpCode.setData, { path: '/w/k', data: b('1'), version: -1 });
  await run('delete /w/k', OpCode.delete, { path: '/w/k', version: -1 });
  await run('removeWatches /w persistent', OpCode.removeWatches, { path: '/w', type: 4 });
  await run('removeWatches /w again', OpCode.removeWatches, { path: '/w', type: 4 });
  await run('removeWatches / any', OpCode.removeWatches, { path: '/', type: 3 });
  await run('sync', OpCode.sync, { path: '/whatever' });
  await run('multiRead', OpCode.multiRead, { ops: [
    { type: OpCode.getData, body: { path: '/a', watch: false } },
    { type: OpCode.getData, body: { path: '/nope', watch: false } },
    { type: OpCode.getChildren, body: { path: '/m2', watch: false } },
  ] });
  await run('exists bad path', OpCode.exists, { path: 'zz', watch: false });
  await run('getData bad path', OpCode.getData, { path: 'zz', watch: false });
  await run('reconfig', OpCode.reconfig, { joiningServers: null, leavingServers: null, newMembers: null, curConfigId: -1n });
  await run('getChildren /zookeeper', OpCode.getChildren, { path: '/zookeeper', watch: false });
  await run('getData /zookeeper/config', OpCode.getData, { path: '/zookeeper/config', watch: false });
  await run('getData /zookeeper/quota', OpCode.getData, { path: '/zookeeper/quota', watch: false });
  await run('exists /', OpCode.exists, { path: '/', watch: false });
  await run('ping', OpCode.ping, undefined);
  await new Promise((r) => setTimeout(r, 300));
  out.push(`events: ${JSON.stringify(c.events.map((e) => ({ z: e.zxid === -1n ? -1 : `Z+${e.zxid - base}`, ...e.event })))}`);
  out.push(`order: ${c.order.join(',')}`);
  try { await run('check standalone', OpCode.check, { path: '/a', version: 1 }); } catch (e) { out.push(`check: ${(e as Error).message}`); }
  out.push(`closed after check: ${await c.waitClosed(3000)}`);
  c.destroy();
  return out;
}
