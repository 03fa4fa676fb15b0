import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../../common/ports.js';

/**
 * Apache ZooKeeper as a standalone server for tests: by default Debian's 3.8.0 (the CI
 * oracle), or a Maven distribution fetched by `kzbench apache fetch` into .cache/. A fresh
 * dataDir under os.tmpdir(), a free loopback port, 4lw enabled, the AdminServer off. Stopped
 * by pid; the dataDir is removed on stop. `restart` keeps the port and dataDir, so sessions
 * survive it.
 */
const debianJars = ['/usr/share/java/zookeeper.jar', '/usr/share/java/slf4j-nop.jar'];

export interface ZooKeeperDistribution {
  version: string;
  /** Jars (or `dir/*` wildcards) for -cp. */
  classpath: string[];
  /** The distribution logs through logback (Maven 3.9.x), which needs a config to stay quiet. */
  logback: boolean;
}

export const debianZooKeeper: ZooKeeperDistribution = { version: '3.8.0', classpath: debianJars, logback: false };

/** A ZooKeeper 3.9.x fetched into `<repo>/.cache/apache/` by `kzbench apache fetch`, if any. */
export function cachedZooKeeper39(): ZooKeeperDistribution | null {
  const root = new URL('../../../../.cache/apache/', import.meta.url).pathname;
  if (!existsSync(root)) return null;
  const dir = readdirSync(root)
    .filter((d) => /^zookeeper-3\.9\.\d+$/.test(d) && existsSync(join(root, d, 'kzbench-fetch.json')))
    .sort()
    .at(-1);
  if (dir === undefined) return null;
  return { version: dir.slice('zookeeper-'.length), classpath: [join(root, dir, 'lib', '*')], logback: true };
}

/** Why Apache ZooKeeper cannot be started here, or null when it can. */
export function apacheZooKeeperMissing(): string | null {
  const missing = debianJars.filter((j) => !existsSync(j));
  if (missing.length > 0) return `Debian ZooKeeper 3.8.0 is not installed (${missing.join(', ')}): apt-get install zookeeper libslf4j-java`;
  return null;
}

export interface ApacheZooKeeperOptions {
  /** Default: Debian's 3.8.0. */
  distribution?: ZooKeeperDistribution;
  /** tickTime in ms (default 2000); session timeouts are clamped to [2, 20] ticks unless set below. */
  tickTime?: number;
  minSessionTimeout?: number;
  maxSessionTimeout?: number;
  jvmFlags?: string[];
}

export interface ApacheZooKeeper {
  readonly host: string;
  readonly port: number;
  readonly connectString: string;
  readonly version: string;
  pid(): number | undefined;
  /** Stops the JVM (SIGTERM, then SIGKILL), keeping the dataDir. */
  kill(): Promise<void>;
  /** Starts it again on the same port and dataDir. */
  restart(): Promise<void>;
  /** Stops it and removes the dataDir. Safe to call twice. */
  stop(): Promise<void>;
  /** What the JVM printed, for failure messages. */
  output(): string;
}

export async function startApacheZooKeeper(options: ApacheZooKeeperOptions = {}): Promise<ApacheZooKeeper> {
  const distribution = options.distribution ?? debianZooKeeper;
  if (distribution === debianZooKeeper) {
    const reason = apacheZooKeeperMissing();
    if (reason !== null) throw new Error(reason);
  }
  const host = '127.0.0.1';
  const port = await freePort(host);
  const dir = await mkdtemp(join(tmpdir(), 'kzbench-apache-zk-'));
  const config = join(dir, 'zoo.cfg');
  await writeFile(
    config,
    [
      `tickTime=${options.tickTime ?? 2000}`,
      ...(options.minSessionTimeout === undefined ? [] : [`minSessionTimeout=${options.minSessionTimeout}`]),
      ...(options.maxSessionTimeout === undefined ? [] : [`maxSessionTimeout=${options.maxSessionTimeout}`]),
      `dataDir=${join(dir, 'data')}`,
      `clientPort=${port}`,
      `clientPortAddress=${host}`,
      'admin.enableServer=false',
      '4lw.commands.whitelist=*',
      'maxClientCnxns=0',
      '',
    ].join('\n'),
  );
  const loggingFlags: string[] = [];
  if (distribution.logback) {
    const logback = join(dir, 'logback.xml');
    await writeFile(logback, '<configuration><root level="OFF"/></configuration>\n');
    loggingFlags.push(`-Dlogback.configurationFile=${logback}`);
  }
  let child: ChildProcess | undefined;
  let log = '';
  const launch = async () => {
    log = '';
    child = spawn(
      'java',
      [
        '-Xms64m',
        '-Xmx256m',
        '-XX:+UseSerialGC',
        // Debian 3.8.0 refuses a txn log without a snapshot on restart (ZOOKEEPER-3056).
        '-Dzookeeper.snapshot.trust.empty=true',
        ...loggingFlags,
        ...(options.jvmFlags ?? []),
        '-cp',
        distribution.classpath.join(':'),
        'org.apache.zookeeper.server.ZooKeeperServerMain',
        config,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    await waitUntilServing(host, port, child, () => log);
  };
  const kill = async () => {
    const c = child;
    child = undefined;
    if (c === undefined || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.kill('SIGTERM');
    const timer = setTimeout(() => c.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await launch();
  } catch (e) {
    await kill();
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    host,
    port,
    connectString: `${host}:${port}`,
    version: distribution.version,
    pid: () => child?.pid,
    kill,
    restart: async () => {
      await kill();
      await launch();
    },
    stop: async () => {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
    output: () => log,
  };
}

/** Sends a four-letter word and returns the whole answer. */
export function fourLetterWord(host: string, port: number, word: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let out = '';
    socket.setTimeout(5000, () => socket.destroy(new Error(`${word}: no answer within 5 s`)));
    socket.on('connect', () => socket.write(word));
    socket.on('data', (d) => (out += d.toString()));
    socket.on('error', reject);
    socket.on('close', () => resolve(out));
  });
}

async function waitUntilServing(host: string, port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Apache ZooKeeper exited with ${child.exitCode}:\n${output()}`);
    // ruok answers imok before the server accepts sessions; srvr shows Mode: only once it does.
    const answer = await fourLetterWord(host, port, 'srvr').catch(() => '');
    if (answer.includes('Mode:')) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Apache ZooKeeper did not start serving on ${host}:${port} within 60 s:\n${output()}`);
}
