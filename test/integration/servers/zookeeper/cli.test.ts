import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OpCode } from '../../../../protocols/zookeeper/index.js';
import { runCli } from '../../../support/cli.js';
import { RawZkClient } from './support/raw-zk-client.js';
import { builtCli, cliMissing } from './support/server-process.js';

const OPEN = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];

function word(port: number, w: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => s.write(w));
    let out = '';
    s.on('data', (d) => (out += d.toString()));
    s.on('close', () => resolve(out));
    s.on('error', reject);
  });
}

describe.skipIf(cliMissing !== null)('kzbench serve zookeeper and kzbench zk', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kz-zk-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves from zoo.cfg with -D flags and SERVER_JVMFLAGS, then stops cleanly on SIGTERM', async () => {
    const cfg = path.join(dir, 'zoo.cfg');
    writeFileSync(cfg, `tickTime=500\ndataDir=${path.join(dir, 'data')}\nclientPort=0\nclientPortAddress=127.0.0.1\nadmin.enableServer=false\n`);
    const child = spawn(process.execPath, [builtCli, 'serve', 'zookeeper', '--config', cfg, '-Dzookeeper.4lw.commands.whitelist=conf,srvr,envi'], {
      env: { ...process.env, SERVER_JVMFLAGS: '-Xmx1g -Dzookeeper.extendedTypesEnabled=true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const address = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('\n')) resolve(out.trim());
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
    const port = Number(address.split(':')[1]);
    expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(await word(port, 'conf')).toContain('tickTime=500\n');
    expect(await word(port, 'ruok')).toBe('ruok is not executed because it is not in the whitelist.\n');
    const c = await RawZkClient.connect('127.0.0.1', port);
    // TTL nodes exist only with zookeeper.extendedTypesEnabled, which came from SERVER_JVMFLAGS.
    const ttl = await c.request(OpCode.createTTL, { path: '/ttl', data: Buffer.from('t'), acl: OPEN, flags: 5, ttl: 60_000n });
    expect(ttl.header.err).toBe(0);
    await c.request(OpCode.create, { path: '/cli', data: Buffer.from('hello'), acl: OPEN, flags: 0 });
    // SIGTERM with a client still connected: the server must not wait for it to hang up.
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(await c.waitClosed()).toBe(true);
    expect(stderr).toMatch(/SIGTERM: shutting down/);
  });

  it('dumps the transaction log and the snapshot it wrote', async () => {
    const v2 = path.join(dir, 'data', 'version-2');
    const log = readdirSync(v2).filter((n) => n.startsWith('log.')).sort().at(-1)!;
    const text = await runCli(['zk', 'txnlog', path.join(v2, log)]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/session 0x[0-9a-f]+ cxid 0x[0-9a-f]+ zxid 0x[0-9a-f]+ createTTL \{"path":"\/ttl"/);
    const json = await runCli(['zk', 'txnlog', '--json', path.join(v2, log)]);
    const txns = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; path?: string; data?: string });
    // The client hung up without closeSession and the server stopped before the session expired.
    expect(txns.map((t) => t.type)).toEqual(['createSession', 'createTTL', 'create']);
    expect(txns.find((t) => t.path === '/cli')?.data).toBe('hello');
    const snap = readdirSync(v2).filter((n) => n.startsWith('snapshot.')).sort().at(0)!;
    const dump = await runCli(['zk', 'snapshot', '--json', path.join(v2, snap)]);
    expect(dump.code).toBe(0);
    const lines = dump.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.path).filter(Boolean)).toEqual(expect.arrayContaining(['/', '/zookeeper', '/zookeeper/quota', '/zookeeper/config']));
    expect(lines.at(-1)).toHaveProperty('summary');
    const missing = await runCli(['zk', 'snapshot', path.join(dir, 'nope')]);
    expect(missing.code).toBe(2);
  });

  it('exits 2 with a clear message on a bad configuration', async () => {
    const cfg = path.join(dir, 'ensemble.cfg');
    writeFileSync(cfg, `dataDir=${dir}/e\nclientPort=0\nserver.1=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2889:3889\n`);
    const ensemble = await runCli(['serve', 'zookeeper', '--config', cfg]);
    expect(ensemble.code).toBe(2);
    expect(ensemble.stderr).toMatch(/standalone only/);
    const noData = await runCli(['serve', 'zookeeper', '--port', '0']);
    expect(noData.code).toBe(2);
    expect(noData.stderr).toMatch(/dataDir is not set/);
  });
});
