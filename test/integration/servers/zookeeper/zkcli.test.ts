import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/reference-server.js';

const zkCli = '/usr/share/zookeeper/bin/zkCli.sh';
const missing = existsSync(zkCli) ? null : 'apt-get install zookeeper (for zkCli.sh)';
if (missing) console.warn(`skipping zkCli.sh interop: ${missing}`);

/** Feeds commands to one zkCli.sh session on stdin and returns its output without JVM noise. */
function runZkCli(server: TestServer, commands: string[], env: NodeJS.ProcessEnv = {}): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(zkCli, ['-server', server.connectString], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', () =>
      resolve(
        out
          .split('\n')
          .filter((l) => l !== '' && !/^(\[main\]|SLF4J|Connecting|Welcome|JLine|WATCHER::|WatchedEvent state:(SyncConnected type:None|Closed))/.test(l))
          .map((l) => l.replace(/time = .*/, 'time = T').replace(/ephemeralOwner = 0x[0-9a-f]+/, 'ephemeralOwner = X')),
      ),
    );
    child.stdin.end([...commands, 'quit'].join('\n') + '\n');
  });
}

const stat = (czxid: string, pzxid: string, cversion: number, dataVersion: number, len: number, children: number) => [
  `cZxid = ${czxid}`,
  'ctime = T',
  `mZxid = ${czxid}`,
  'mtime = T',
  `pZxid = ${pzxid}`,
  `cversion = ${cversion}`,
  `dataVersion = ${dataVersion}`,
  'aclVersion = 0',
  'ephemeralOwner = X',
  `dataLength = ${len}`,
  `numChildren = ${children}`,
];

/**
 * zkCli.sh (Debian's 3.8.0 client), unmodified. The expected transcripts are what the same
 * commands print against Apache ZooKeeper 3.9.5 (checked side by side when this was written).
 */
describe.skipIf(missing !== null)('zkCli.sh against the reference server', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.dispose();
    server = undefined;
  });

  it('creates, lists, stats, gets, sets, deletes, manages quotas, auth and ACLs', async () => {
    server = await startTestServer({ tickTime: 2000 });
    const out = await runZkCli(server, [
      'create /z hello',
      'create -s -e /z/e- x',
      'create -c /cont',
      'ls -s /z',
      'get -s /z',
      'set -v 0 /z world',
      'set -v 0 /z again',
      'setquota -n 5 /z',
      'setquota -b 100 /z',
      'listquota /z',
      'delquota -n /z',
      'listquota /z',
      'addauth digest u:p',
      'setAcl /z auth:u:p:cdrwa',
      'getAcl /z',
      'getAcl /zookeeper/config',
      'delete /z/nope',
      'delete /z',
      'deleteall /z',
      'ls /',
      'whoami',
      'getAllChildrenNumber /',
    ]);
    expect(out).toEqual([
      'Created /z',
      'Created /z/e-0000000000',
      'Created /cont',
      '[e-0000000000]',
      ...stat('0x2', '0x3', 1, 0, 5, 1),
      'hello',
      ...stat('0x2', '0x3', 1, 0, 5, 1),
      'version No is not valid : /z',
      'absolute path is /zookeeper/quota/z/zookeeper_limits',
      'Output quota for /z count=5,bytes=100=;byteHardLimit=-1;countHardLimit=-1',
      'Output stat for /z count=2,bytes=6',
      'absolute path is /zookeeper/quota/z/zookeeper_limits',
      'Output quota for /z count=-1,bytes=100=;byteHardLimit=-1;countHardLimit=-1',
      'Output stat for /z count=2,bytes=6',
      "'digest,'u:Jq7wMyA/w2Vd5WIDAKdu4OIIFEQ=",
      ': cdrwa',
      "'world,'anyone",
      ': r',
      'Node does not exist: /z/nope',
      'Node not empty: /z',
      '[cont, zookeeper]',
      'Auth scheme: User',
      'ip: 127.0.0.1',
      'digest: u',
      // deleteall took /z and its ephemeral; /cont, the built-ins and the three quota nodes remain.
      '7',
    ]);
  });

  it('rejects writes beyond hard quotas when zookeeper.enforceQuota is on', async () => {
    server = await startTestServer({ tickTime: 2000, systemProperties: { 'zookeeper.enforceQuota': 'true' } });
    const out = await runZkCli(server, ['create /q', 'setquota -N 2 /q', 'create /q/a', 'create /q/b', 'setquota -B 10 /q', 'set /q 0123456789abc', 'listquota /q']);
    expect(out).toEqual([
      'Created /q',
      'Created /q/a',
      'Quota has exceeded : /q/b',
      'Quota has exceeded : /q',
      'absolute path is /zookeeper/quota/q/zookeeper_limits',
      'Output quota for /q count=-1,bytes=-1=;byteHardLimit=10;countHardLimit=2',
      'Output stat for /q count=2,bytes=0',
    ]);
  });

  it('authenticates Java clients over SASL DIGEST-MD5 with the JAAS Server users, and rejects a wrong password', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kz-zk-jaas-'));
    try {
      const jaas = (section: string, body: string) => `${section} {\n  org.apache.zookeeper.server.auth.DigestLoginModule required\n  ${body};\n};\n`;
      writeFileSync(path.join(dir, 'server.jaas'), jaas('Server', 'user_super="adminsecret"\n  user_bob="bobsecret"'));
      writeFileSync(path.join(dir, 'bob.jaas'), jaas('Client', 'username="bob"\n  password="bobsecret"'));
      writeFileSync(path.join(dir, 'mallory.jaas'), jaas('Client', 'username="bob"\n  password="guess"'));
      server = await startTestServer({
        tickTime: 2000,
        systemProperties: {
          'java.security.auth.login.config': path.join(dir, 'server.jaas'),
          'zookeeper.authProvider.1': 'org.apache.zookeeper.server.auth.SASLAuthenticationProvider',
        },
      });
      const bob = await runZkCli(server, ['whoami', 'create /s x sasl:bob:cdrwa', 'getAcl /s', 'get /s'], {
        CLIENT_JVMFLAGS: `-Djava.security.auth.login.config=${path.join(dir, 'bob.jaas')}`,
      });
      expect(bob).toEqual([
        'WatchedEvent state:SaslAuthenticated type:None path:null',
        'Auth scheme: User',
        'ip: 127.0.0.1',
        'sasl: bob',
        'Created /s',
        "'sasl,'bob",
        ': cdrwa',
        'x',
      ]);
      const mallory = await runZkCli(server, ['get /s'], { CLIENT_JVMFLAGS: `-Djava.security.auth.login.config=${path.join(dir, 'mallory.jaas')}` });
      expect(mallory[0]).toBe('WatchedEvent state:AuthFailed type:None path:null');
      expect(mallory).not.toContain('x');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
