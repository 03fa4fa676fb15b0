import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isKzbenchError, UsageError } from '../../common/errors.js';
import { silentLogger, type Logger } from '../../common/logger.js';
import { chooseVersion, debianZookeeperVersion, type ApacheSource, type ApacheSystem } from './apache-versions.js';
import { withFileLock } from './file-lock.js';
import { detectLoggingBackend, type LoggingBackend } from './logging-config.js';
import { mavenCopyDependencies } from './maven-fetch.js';
import { mavenPom } from './maven-pom.js';
import { requireMaven } from './prerequisites.js';
import { cacheRoot } from './repo-paths.js';

/** A runnable Apache ZooKeeper or Kafka: the jars and how they log. */
export interface ApacheDistribution {
  system: ApacheSystem;
  version: string;
  source: ApacheSource;
  /** The jars (for class lookups). */
  jars: string[];
  /** The `-cp` value: `lib/*` for a cached fetch, the jar list for Debian. */
  classpath: string;
  logging: LoggingBackend;
  /** Where generated logging configs for this distribution live. */
  confDir: string;
}

export interface ProvisionOptions {
  log?: Logger;
  /** Defaults to `cacheRoot()` (`KZBENCH_CACHE` or `.cache/`). */
  cacheDir?: string;
  env?: NodeJS.ProcessEnv;
}

export interface ProvisionResult {
  distribution: ApacheDistribution;
  /** True when this call downloaded it; false when it was already in the cache (or Debian's). */
  fetched: boolean;
  /** Set when the Debian package stood in for a Maven version that could not be fetched. */
  fallbackReason?: string;
}

const markerFile = 'kzbench-fetch.json';
const debianJavaDir = '/usr/share/java';

export function apacheCacheDir(cacheDir: string): string {
  return join(cacheDir, 'apache');
}

/** `.cache/apache/<system>-<version>`: `lib/*.jar`, the pom that produced it and a completion marker. */
export function distributionDir(cacheDir: string, system: ApacheSystem, version: string): string {
  return join(apacheCacheDir(cacheDir), `${system}-${version}`);
}

async function listJars(libDir: string): Promise<string[]> {
  const names = (await readdir(libDir)).filter((n) => n.endsWith('.jar')).sort();
  return names.map((n) => join(libDir, n));
}

/** The cached Maven distribution, or null when absent or incomplete (no marker). */
export async function findCachedDistribution(cacheDir: string, system: ApacheSystem, version: string): Promise<ApacheDistribution | null> {
  const dir = distributionDir(cacheDir, system, version);
  if (!existsSync(join(dir, markerFile))) return null;
  const jars = await listJars(join(dir, 'lib')).catch(() => []);
  if (jars.length === 0) return null;
  return {
    system,
    version,
    source: 'maven',
    jars,
    classpath: join(dir, 'lib', '*'),
    logging: detectLoggingBackend(jars.map((j) => j.slice(j.lastIndexOf('/') + 1))),
    confDir: join(dir, 'conf'),
  };
}

/**
 * Debian's `zookeeper` package: zookeeper.jar's manifest Class-Path pulls its dependencies
 * from /usr/share/java; it ships no slf4j binding, so slf4j-simple is added.
 */
export function debianZookeeper(cacheDir: string): ApacheDistribution | null {
  const jar = join(debianJavaDir, 'zookeeper.jar');
  const binding = join(debianJavaDir, 'slf4j-simple.jar');
  if (!existsSync(jar) || !existsSync(binding)) return null;
  return {
    system: 'zookeeper',
    version: debianZookeeperVersion,
    source: 'debian',
    jars: [jar, binding],
    classpath: [jar, binding].join(':'),
    logging: 'slf4j-simple',
    confDir: join(apacheCacheDir(cacheDir), `zookeeper-${debianZookeeperVersion}-debian`, 'conf'),
  };
}

function debianMissing(): UsageError {
  return new UsageError(
    'KZ_DEBIAN_ZOOKEEPER_MISSING',
    `Debian's ZooKeeper ${debianZookeeperVersion} is not installed (${debianJavaDir}/zookeeper.jar, slf4j-simple.jar): apt-get install zookeeper libslf4j-java`,
  );
}

async function directorySize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    total += entry.isDirectory() ? await directorySize(p) : (await stat(p)).size;
  }
  return total;
}

async function fetchFromMaven(
  cacheDir: string,
  system: ApacheSystem,
  version: string,
  env: NodeJS.ProcessEnv,
  log: Logger,
): Promise<{ distribution: ApacheDistribution; fetched: boolean }> {
  const mvn = requireMaven(env);
  const root = apacheCacheDir(cacheDir);
  await mkdir(root, { recursive: true });
  return withFileLock(
    join(root, `.${system}-${version}.lock`),
    async () => {
      // Whoever held the lock before us may have fetched it already.
      const present = await findCachedDistribution(cacheDir, system, version);
      if (present) return { distribution: present, fetched: false };
      const finalDir = distributionDir(cacheDir, system, version);
      const staging = join(root, `.staging-${system}-${version}-${process.pid}`);
      await rm(staging, { recursive: true, force: true });
      const started = Date.now();
      log.info(`fetching Apache ${system} ${version} from Maven Central (mvn dependency:copy-dependencies)`);
      try {
        await mavenCopyDependencies(mavenPom(system, version), staging, {
          mvn,
          extraArgs: (env.KZBENCH_MAVEN_ARGS ?? '').split(/\s+/).filter(Boolean),
        });
        const jars = await readdir(join(staging, 'lib')).catch(() => []);
        await writeFile(
          join(staging, markerFile),
          JSON.stringify({ system, version, source: 'maven', fetchedAt: new Date().toISOString(), jars: jars.sort() }, null, 2) + '\n',
        );
        // Written in full elsewhere, then moved into place: a reader never sees half a lib/.
        await rm(finalDir, { recursive: true, force: true });
        await rename(staging, finalDir);
      } finally {
        await rm(staging, { recursive: true, force: true });
      }
      const size = await directorySize(finalDir);
      log.info(`fetched Apache ${system} ${version} in ${((Date.now() - started) / 1000).toFixed(1)} s (${(size / 2 ** 20).toFixed(1)} MiB) into ${finalDir}`);
      const fetched = await findCachedDistribution(cacheDir, system, version);
      if (!fetched) throw new Error(`${finalDir} holds no jars after a successful mvn run`);
      return { distribution: fetched, fetched: true };
    },
    { log },
  );
}

/**
 * Makes Apache `system` at `requested` (a version, a line alias such as `3.9`, `debian`, or
 * the default) available, fetching it from Maven Central unless the cache has it. When the
 * default ZooKeeper cannot be fetched (no mvn, no network), Debian's package stands in, with a
 * warning; a version the user named explicitly never silently changes.
 */
export async function provisionApache(system: ApacheSystem, requested: string | undefined, opts: ProvisionOptions = {}): Promise<ProvisionResult> {
  const log = opts.log ?? silentLogger;
  const cacheDir = opts.cacheDir ?? cacheRoot(opts.env);
  const env = opts.env ?? process.env;
  const choice = chooseVersion(system, requested);
  if (choice.source === 'debian') {
    const debian = debianZookeeper(cacheDir);
    if (!debian) throw debianMissing();
    return { distribution: debian, fetched: false };
  }
  const cached = await findCachedDistribution(cacheDir, system, choice.version);
  if (cached) return { distribution: cached, fetched: false };
  try {
    return await fetchFromMaven(cacheDir, system, choice.version, env, log);
  } catch (err) {
    const debian = system === 'zookeeper' && !choice.explicit ? debianZookeeper(cacheDir) : null;
    if (!debian || !isKzbenchError(err)) throw err;
    const reason = `${err.message} [${err.code}]`;
    log.warn(`could not fetch ZooKeeper ${choice.version} (${reason}); falling back to Debian's ZooKeeper ${debian.version}`);
    return { distribution: debian, fetched: false, fallbackReason: reason };
  }
}

/** The distribution for a system and version, fetching it when needed. */
export async function resolveApache(system: ApacheSystem, requested?: string, opts: ProvisionOptions = {}): Promise<ApacheDistribution> {
  return (await provisionApache(system, requested, opts)).distribution;
}
