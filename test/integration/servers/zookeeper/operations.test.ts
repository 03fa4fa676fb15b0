import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpCode } from '../../../../protocols/zookeeper/index.js';
import { RawZkClient } from './support/raw-zk-client.js';
import { startTestServer, type TestServer } from './support/reference-server.js';

const OPEN = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];

function word(server: TestServer, w: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(server.port, server.host, () => s.write(w));
    let out = '';
    s.on('data', (d) => (out += d.toString()));
    s.on('close', () => resolve(out));
    s.on('error', reject);
  });
}

function mntr(text: string): Map<string, string> {
  return new Map(text.trim().split('\n').map((l) => l.split('\t') as [string, string]));
}

describe('operations: four-letter words, AdminServer, containers and TTL nodes', () => {
  let server: TestServer;
  let client: RawZkClient;
  beforeAll(async () => {
    server = await startTestServer({
      tickTime: 100,
      systemProperties: {
        'zookeeper.4lw.commands.whitelist': '*',
        'zookeeper.extendedTypesEnabled': 'true',
        'znode.container.checkIntervalMs': '100',
      },
      overrides: { admin: { enabled: true, address: '127.0.0.1', port: 0, commandUrl: '/commands' } },
    });
    client = await RawZkClient.connect(server.host, server.port, { timeout: 2000 });
  });
  afterAll(async () => {
    client?.destroy();
    await server?.dispose();
  });

  it('reports real counters in mntr and srvr', async () => {
    const before = mntr(await word(server, 'mntr'));
    await client.request(OpCode.create, { path: '/ops', data: Buffer.from('12345'), acl: OPEN, flags: 0 });
    await client.request(OpCode.create, { path: '/ops/e', data: null, acl: OPEN, flags: 1 });
    await client.request(OpCode.getData, { path: '/ops', watch: true });
    const after = mntr(await word(server, 'mntr'));
    expect(Number(after.get('zk_packets_received'))).toBeGreaterThanOrEqual(Number(before.get('zk_packets_received')) + 3);
    expect(Number(after.get('zk_znode_count'))).toBe(Number(before.get('zk_znode_count')) + 2);
    expect(after.get('zk_ephemerals_count')).toBe('1');
    expect(after.get('zk_watch_count')).toBe('1');
    expect(after.get('zk_global_sessions')).toBe('1');
    expect(Number(after.get('zk_approximate_data_size'))).toBe(Number(before.get('zk_approximate_data_size')) + '/ops'.length + 5 + '/ops/e'.length);
    expect(after.get('zk_server_state')).toBe('standalone');
    const srvr = await word(server, 'srvr');
    expect(srvr).toContain(`Zxid: 0x${server.server.zxid.toString(16)}\n`);
    expect(srvr).toContain(`Node count: ${server.server.tree.nodeCount}\n`);
  });

  it('lists connections, sessions, ephemerals and watches in Apache’s layouts', async () => {
    const sid = `0x${client.session.sessionId.toString(16)}`;
    const cons = await word(server, 'cons');
    expect(cons).toMatch(new RegExp(` /127\\.0\\.0\\.1:\\d+\\[1\\]\\(queued=0,recved=\\d+,sent=\\d+,sid=${sid},lop=\\w+,est=\\d+,to=2000,lcxid=0x[0-9a-f]+,lzxid=0x[0-9a-f]+,lresp=\\d+,llat=\\d+,minlat=\\d+,avglat=\\d+,maxlat=\\d+\\)\\n`));
    const dump = await word(server, 'dump');
    expect(dump).toMatch(new RegExp(`^SessionTracker dump:\\nSession Sets \\(\\d+\\)/\\(1\\):\\n(\\d+ expire at [A-Z][a-z]{2} [A-Z][a-z]{2} \\d\\d \\d\\d:\\d\\d:\\d\\d UTC \\d{4}:\\n(\\t0x[0-9a-f]+\\n)*)+ephemeral nodes dump:\\nSessions with Ephemerals \\(1\\):\\n${sid}:\\n\\t/ops/e\\n`));
    expect(await word(server, 'wchs')).toBe('1 connections watching 1 paths\nTotal watches:1\n');
    expect(await word(server, 'wchc')).toBe(`${sid}\n\t/ops\n\n`);
    expect(await word(server, 'wchp')).toBe(`/ops\n\t${sid}\n\n`);
    expect(await word(server, 'conf')).toMatch(/^clientPort=\d+\nsecureClientPort=-1\ndataDir=.*\/version-2\ndataDirSize=\d+\ndataLogDir=.*\/version-2\ndataLogSize=\d+\ntickTime=100\nmaxClientCnxns=60\nminSessionTimeout=200\nmaxSessionTimeout=2000\nclientPortListenBacklog=-1\nserverId=0\n$/);
    expect(await word(server, 'dirs')).toMatch(/^datadir_size: \d+\nlogdir_size: \d+\n$/);
    expect(await word(server, 'isro')).toBe('rw');
    expect(await word(server, 'gtmk')).toBe('306');
  });

  it('resets server and connection statistics', async () => {
    expect(await word(server, 'srst')).toBe('Server stats reset.\n');
    expect(mntr(await word(server, 'mntr')).get('zk_packets_received')).toBe('0');
    expect(await word(server, 'crst')).toBe('Connection stats reset.\n');
  });

  it('serves the AdminServer commands as JSON', async () => {
    const base = server.adminUrl!;
    const ruok = await fetch(`${base}/ruok`);
    expect(ruok.status).toBe(200);
    expect(await ruok.json()).toEqual({ command: 'ruok', error: null });
    const monitor = (await (await fetch(`${base}/mntr`)).json()) as Record<string, unknown>;
    expect(monitor.command).toBe('monitor');
    expect(monitor.server_state).toBe('standalone');
    expect(monitor.znode_count).toBe(server.server.tree.nodeCount);
    const conf = (await (await fetch(`${base}/conf`)).json()) as Record<string, unknown>;
    expect(conf).toMatchObject({ command: 'configuration', client_port: server.port, tick_time: 100, error: null });
    // Session ids are 64-bit: read the JSON text, not a double that would round them.
    const consText = await (await fetch(`${base}/connections`)).text();
    expect(consText).toContain(`"session_id" : ${client.session.sessionId}`);
    const text = await (await fetch(`${base}/dirs`)).text();
    expect(text).toMatch(/^\{\n {2}"datadir_size" : \d+,\n {2}"logdir_size" : \d+,\n {2}"command" : "dirs",\n {2}"error" : null\n\}$/);
    const unknown = await fetch(`${base}/nope`);
    expect(unknown.status).toBe(404);
    const index = await (await fetch(base)).text();
    expect(index).toContain('<a href="/commands/monitor">monitor</a>');
  });

  it('reaps emptied containers and expired TTL nodes, sparing never-used containers', async () => {
    const watcher = await RawZkClient.connect(server.host, server.port, { timeout: 2000 });
    // Watch before creating, so no deletion can slip past the watch however slow the machine is.
    await watcher.request(OpCode.addWatch, { path: '/reap', mode: 1 });
    await client.request(OpCode.create, { path: '/reap', data: null, acl: OPEN, flags: 0 });
    await client.request(OpCode.createContainer, { path: '/reap/c-used', data: null, acl: OPEN, flags: 4 });
    await client.request(OpCode.createContainer, { path: '/reap/c-new', data: null, acl: OPEN, flags: 4 });
    await client.request(OpCode.create, { path: '/reap/c-used/x', data: null, acl: OPEN, flags: 0 });
    await client.request(OpCode.delete, { path: '/reap/c-used/x', version: -1 });
    const ttl = await client.request(OpCode.createTTL, { path: '/reap/ttl', data: null, acl: OPEN, flags: 5, ttl: 300n });
    expect(ttl.header.err).toBe(0);
    const deletions = () => watcher.events.filter((e) => e.event.type === 2).map((e) => e.event.path).sort();
    const deadline = Date.now() + 20_000;
    while (deletions().filter((p) => p !== '/reap/c-used/x').length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(deletions()).toEqual(['/reap/c-used', '/reap/c-used/x', '/reap/ttl']);
    expect((await client.request(OpCode.exists, { path: '/reap/c-new', watch: false })).header.err).toBe(0);
    watcher.destroy();
  });
});
