import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOnPath } from '../../workloads/launchers/prerequisites.js';
import { cacheRoot } from '../../workloads/launchers/repo-paths.js';
import { runCli } from '../support/cli.js';

interface FetchRow {
  system: string;
  version: string;
  source: string;
  fetched: boolean;
  classpath: string;
}

const hasMaven = findOnPath('mvn') !== null;
const hasJava = findOnPath('java') !== null;
if (!hasMaven) console.warn('skipping kzbench apache fetch tests that need Maven: apt-get install maven');

/** An environment with neither java nor mvn (node itself is run by absolute path). */
const bareEnv = (cache: string) => ({ PATH: '/nonexistent', JAVA_HOME: '', KZBENCH_CACHE: cache });

describe('kzbench apache fetch', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'kz-e2e-fetch-'));
  });
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  // Downloads when the cache is cold (about 2.5 min with an empty ~/.m2): a long timeout.
  it.skipIf(!hasMaven)('provisions ZooKeeper 3.9 and Kafka 3.9 and 4.x into the cache, with logging bindings and tools', { timeout: 900_000 }, async () => {
    // In CI the cache was filled by the fetch step before npm test; then this only checks it.
    const res = await runCli(['apache', 'fetch', '--zookeeper', '3.9', '--kafka', '3.9,4', '--json'], { timeoutMs: 600_000 });
    expect(res.code, res.stderr).toBe(0);
    const rows = JSON.parse(res.stdout) as FetchRow[];
    expect(rows.map((r) => `${r.system} ${r.version} ${r.source}`)).toEqual(['zookeeper 3.9.5 maven', 'kafka 3.9.2 maven', 'kafka 4.3.1 maven']);
    const lib = (system: string, version: string) => readdirSync(join(cacheRoot(), 'apache', `${system}-${version}`, 'lib'));
    expect(lib('zookeeper', '3.9.5')).toEqual(expect.arrayContaining(['zookeeper-3.9.5.jar', 'zookeeper-jute-3.9.5.jar']));
    expect(lib('zookeeper', '3.9.5').some((j) => j.startsWith('logback-classic-'))).toBe(true);
    expect(lib('kafka', '3.9.2')).toEqual(expect.arrayContaining(['kafka_2.13-3.9.2.jar', 'kafka-tools-3.9.2.jar', 'reload4j-1.2.25.jar', 'slf4j-reload4j-1.7.36.jar']));
    expect(lib('kafka', '4.3.1')).toEqual(expect.arrayContaining(['kafka_2.13-4.3.1.jar', 'kafka-tools-4.3.1.jar']));
    expect(lib('kafka', '4.3.1').some((j) => j.startsWith('log4j-slf4j-impl-'))).toBe(true);
  });

  it.skipIf(!hasMaven)('is idempotent: a second fetch downloads nothing and leaves the cache untouched', { timeout: 900_000 }, async () => {
    const marker = join(cacheRoot(), 'apache', 'zookeeper-3.9.5', 'kzbench-fetch.json');
    await runCli(['apache', 'fetch', '--zookeeper', '3.9.5'], { timeoutMs: 600_000 });
    const before = statSync(marker).mtimeMs;
    const res = await runCli(['apache', 'fetch', '--zookeeper', '3.9.5', '--json'], { env: { PATH: '/nonexistent' } });
    // No mvn on PATH and still fine: nothing had to be fetched.
    expect(res.code, res.stderr).toBe(0);
    expect((JSON.parse(res.stdout) as FetchRow[])[0]).toMatchObject({ version: '3.9.5', fetched: false });
    expect(statSync(marker).mtimeMs).toBe(before);
  });

  it.skipIf(!hasMaven)('two fetches into an empty cache at once: the lock lets one download, the other finds it', { timeout: 900_000 }, async () => {
    const cache = join(scratch, 'race');
    const env = { KZBENCH_CACHE: cache };
    const [a, b] = await Promise.all([
      runCli(['apache', 'fetch', '--zookeeper', '3.9.5', '--json'], { env, timeoutMs: 600_000 }),
      runCli(['apache', 'fetch', '--zookeeper', '3.9.5', '--json'], { env, timeoutMs: 600_000 }),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const fetched = [a, b].map((r) => (JSON.parse(r.stdout) as FetchRow[])[0]!.fetched).sort();
    expect(fetched).toEqual([false, true]);
    expect(readdirSync(join(cache, 'apache')).filter((n) => n.startsWith('.'))).toEqual([]);
    expect(existsSync(join(cache, 'apache', 'zookeeper-3.9.5', 'lib', 'zookeeper-3.9.5.jar'))).toBe(true);
  });

  it('rejects an unknown version with exit 2', async () => {
    const res = await runCli(['apache', 'fetch', '--kafka', 'newest']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('KZ_APACHE_VERSION_INVALID');
  });

  it('without mvn: Kafka fails with exit 2 saying what to install', async () => {
    const res = await runCli(['apache', 'fetch', '--kafka', '4'], { env: bareEnv(join(scratch, 'no-mvn')) });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/KZ_MAVEN_MISSING/);
    expect(res.stderr).toMatch(/apt-get install maven/);
  });

  it.skipIf(!existsSync('/usr/share/java/zookeeper.jar'))("without mvn: the default ZooKeeper falls back to Debian's 3.8.0, a named one does not", async () => {
    const env = bareEnv(join(scratch, 'no-mvn-zk'));
    const fallback = await runCli(['apache', 'fetch', '--zookeeper', '', '--json'], { env });
    expect(fallback.code, fallback.stderr).toBe(0);
    expect((JSON.parse(fallback.stdout) as FetchRow[])[0]).toMatchObject({ system: 'zookeeper', version: '3.8.0', source: 'debian' });
    expect(fallback.stderr).toMatch(/falling back to Debian/);
    const named = await runCli(['apache', 'fetch', '--zookeeper', '3.9.5'], { env });
    expect(named.code).toBe(2);
    expect(named.stderr).toMatch(/KZ_MAVEN_MISSING/);
  });

  it.skipIf(!hasJava || !existsSync('/usr/share/java/zookeeper.jar'))('without java: cluster up exits 2 saying what to install', async () => {
    const res = await runCli(['cluster', 'up', 'zookeeper', '--impl', 'apache:debian', '--dir', join(scratch, 'no-java')], { env: bareEnv(join(scratch, 'c')) });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/KZ_JAVA_MISSING/);
    expect(res.stderr).toMatch(/openjdk-17/);
  });
});
