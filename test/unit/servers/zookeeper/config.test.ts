import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadServerConfig } from '../../../../servers/zookeeper/config/server-config.js';
import { parseJavaProperties } from '../../../../servers/zookeeper/config/java-properties.js';
import { collectSystemProperties, splitShellWords } from '../../../../servers/zookeeper/config/system-properties.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function cfg(text: string, extra: Record<string, string> = {}): string {
  const d = mkdtempSync(path.join(tmpdir(), 'kz-zk-cfg-'));
  dirs.push(d);
  for (const [name, content] of Object.entries(extra)) writeFileSync(path.join(d, name), content);
  const f = path.join(d, 'zoo.cfg');
  writeFileSync(f, text.replaceAll('$DIR', d));
  return f;
}

describe('zoo.cfg and system properties', () => {
  it('reads java.util.Properties syntax', () => {
    const p = parseJavaProperties('# c\n! c2\na=1\nb : 2\nc 3\n  d=x\\\n    y\ne=\\u0041\\tB\nf\n');
    expect(Object.fromEntries(p)).toEqual({ a: '1', b: '2', c: '3', d: 'xy', e: 'A\tB', f: '' });
  });

  it('reads a typical zoo.cfg with Apache defaults for what it leaves out', () => {
    const f = cfg('tickTime=2000\ndataDir=$DIR/data\nclientPort=2181\nclientPortAddress=127.0.0.1\n4lw.commands.whitelist=srvr, ruok ,mntr\nadmin.enableServer=false\nautopurge.snapRetainCount=1\nautopurge.purgeInterval=2\n');
    const c = loadServerConfig({ configFile: f });
    expect(c.tickTime).toBe(2000);
    expect(c.minSessionTimeout).toBe(4000);
    expect(c.maxSessionTimeout).toBe(40000);
    expect(c.clientPort).toBe(2181);
    expect(c.dataLogDir).toBe(c.dataDir);
    expect([...c.fourLetterWordWhitelist!].sort()).toEqual(['mntr', 'ruok', 'srvr']);
    expect(c.admin.enabled).toBe(false);
    expect(c.autopurge).toEqual({ snapRetainCount: 3, purgeIntervalHours: 2 });
    expect(c.systemProperties.get('zookeeper.4lw.commands.whitelist')).toBe('srvr, ruok ,mntr');
    expect(c.maxClientCnxns).toBe(60);
  });

  it('defaults the whitelist to srvr, turns * into everything, and reads myid', () => {
    const f = cfg('dataDir=$DIR\nclientPort=0\n', { myid: '3\n' });
    expect([...loadServerConfig({ configFile: f }).fourLetterWordWhitelist!]).toEqual(['srvr']);
    expect(loadServerConfig({ configFile: f }).serverId).toBe(3);
    const g = cfg('dataDir=$DIR\nclientPort=0\n4lw.commands.whitelist=*\n');
    expect(loadServerConfig({ configFile: g }).fourLetterWordWhitelist).toBeNull();
  });

  it('takes -D flags and SERVER_JVMFLAGS as zkServer.sh passes them', () => {
    expect(splitShellWords(`-Da=1 -Db='x y' "-Dc=z w" -Xmx1g`)).toEqual(['-Da=1', '-Db=x y', '-Dc=z w', '-Xmx1g']);
    const sys = collectSystemProperties(
      { SERVER_JVMFLAGS: '-Dzookeeper.extendedTypesEnabled=true -Djute.maxbuffer=4096 -Xmx512m' },
      ['-Dzookeeper.DigestAuthenticationProvider.superDigest=super:D/InIHSb7yEEbrWz8b9l71RjZJU='],
    );
    const f = cfg('dataDir=$DIR\nclientPort=0\n');
    const c = loadServerConfig({ configFile: f, systemProperties: sys });
    expect(c.extendedTypesEnabled).toBe(true);
    expect(c.juteMaxBuffer).toBe(4096);
    expect(c.superDigest).toBe('super:D/InIHSb7yEEbrWz8b9l71RjZJU=');
  });

  it('turns unknown zoo.cfg keys into zookeeper.* system properties, as QuorumPeerConfig does', () => {
    const f = cfg('dataDir=$DIR\nclientPort=0\nextendedTypesEnabled=true\nenforceQuota=true\nsnapCount=10\n');
    const c = loadServerConfig({ configFile: f });
    expect(c.extendedTypesEnabled).toBe(true);
    expect(c.enforceQuota).toBe(true);
    expect(c.snapCount).toBe(10);
  });

  it('lets --port and --data-dir override the file', () => {
    const f = cfg('dataDir=$DIR/a\nclientPort=2181\n');
    const c = loadServerConfig({ configFile: f, port: 0, dataDir: '/tmp/x-override' });
    expect(c.clientPort).toBe(0);
    expect(c.dataDir).toBe('/tmp/x-override');
  });

  it('explains what is wrong', () => {
    expect(() => loadServerConfig({ configFile: cfg('clientPort=1\n') })).toThrow(/dataDir is not set/);
    expect(() => loadServerConfig({ configFile: cfg('dataDir=$DIR\n') })).toThrow(/clientPort is not set/);
    expect(() => loadServerConfig({ configFile: cfg('dataDir=$DIR\nclientPort=x\n') })).toThrow(/not an integer/);
    expect(() => loadServerConfig({ configFile: cfg('dataDir=$DIR\nclientPort=1\nminSessionTimeout=9\nmaxSessionTimeout=5\n') })).toThrow(ConfigError);
    expect(() => loadServerConfig({ configFile: '/nonexistent/zoo.cfg' })).toThrow(/cannot read/);
    const ensemble = 'dataDir=$DIR\nclientPort=1\nserver.1=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2889:3889\n';
    expect(() => loadServerConfig({ configFile: cfg(ensemble) })).toThrow(/standalone only/);
  });

  it('accepts a single server.N line (Apache runs that standalone) and parses its client address', () => {
    const c = loadServerConfig({ configFile: cfg('dataDir=$DIR\nclientPort=1\nserver.1=127.0.0.1:2888:3888:participant;127.0.0.1:2181\n') });
    expect(c.servers).toEqual([
      { id: 1, host: '127.0.0.1', quorumPort: 2888, electionPort: 3888, role: 'participant', clientAddress: '127.0.0.1', clientPort: 2181, spec: '127.0.0.1:2888:3888:participant;127.0.0.1:2181' },
    ]);
  });
});
