import { spawn } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UsageError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import type { CheckResult } from '../../checkers/checker.js';
import { findCachedDistribution } from '../launchers/apache-distribution.js';
import { builtCliPath, cacheRoot } from '../launchers/repo-paths.js';
import { sandboxUnavailableReason } from './network-sandbox.js';

/**
 * The `--jepsen` conformance profile: a few short Jepsen runs that must come out as expected.
 * Runs without a fault or bug must be valid; runs with a seeded bug must be invalid with the
 * anomaly that bug causes. Small enough for CI (each run is seconds of load), broad enough to
 * prove the whole chain: faults are inflicted and undone, histories recorded, checkers judge.
 */
export interface JepsenCase {
  name: string;
  system: 'zookeeper' | 'kafka';
  /** `reference`, or an Apache version to start. */
  target: 'reference' | 'apache';
  args: string[];
  /** Valid, or invalid with (at least) these anomaly types. */
  expect: { valid: true } | { valid: false; anomalies: string[] };
  /** Needs root and `ip netns` (network faults). */
  network?: boolean;
}

const APACHE_ZOOKEEPER = '3.9.5';
const APACHE_KAFKA = '4.3.1';

export const jepsenCases: readonly JepsenCase[] = [
  { name: 'zk-cas-register reference', system: 'zookeeper', target: 'reference', args: ['zk-cas-register', '--duration', '6'], expect: { valid: true } },
  { name: 'zk-cas-register reference stale-read', system: 'zookeeper', target: 'reference', args: ['zk-cas-register', '--duration', '6', '--inject-bug', 'stale-read'], expect: { valid: false, anomalies: ['nonlinearizable', 'zk-stale-read'] } },
  { name: 'zk-cas-register reference lost-ack', system: 'zookeeper', target: 'reference', args: ['zk-cas-register', '--duration', '6', '--inject-bug', 'lost-ack'], expect: { valid: false, anomalies: ['nonlinearizable'] } },
  { name: 'zk-cas-register reference disk', system: 'zookeeper', target: 'reference', args: ['zk-cas-register', '--duration', '8', '--nemesis', 'disk', '--set', 'nemesis-interval=2'], expect: { valid: true } },
  {
    name: 'zk-cas-register reference disk skip-fsync',
    system: 'zookeeper',
    target: 'reference',
    args: ['zk-cas-register', '--duration', '8', '--nemesis', 'disk', '--set', 'nemesis-interval=2', '--inject-bug', 'skip-fsync'],
    expect: { valid: false, anomalies: ['nonlinearizable'] },
  },
  { name: 'zk-lock reference', system: 'zookeeper', target: 'reference', args: ['zk-lock', '--duration', '5'], expect: { valid: true } },
  { name: 'zk-registry reference', system: 'zookeeper', target: 'reference', args: ['zk-registry', '--duration', '5', '--set', 'session-timeout=4000'], expect: { valid: true } },
  {
    name: 'zk-cas-register apache partition,kill',
    system: 'zookeeper',
    target: 'apache',
    args: ['zk-cas-register', '--nodes', '3', '--duration', '20', '--nemesis', 'partition,kill', '--set', 'nemesis-interval=4'],
    expect: { valid: true },
    network: true,
  },
  { name: 'kafka-queue reference', system: 'kafka', target: 'reference', args: ['kafka-queue', '--duration', '6'], expect: { valid: true } },
  { name: 'kafka-queue reference lost-ack', system: 'kafka', target: 'reference', args: ['kafka-queue', '--duration', '6', '--inject-bug', 'lost-ack'], expect: { valid: false, anomalies: ['lost-write'] } },
  { name: 'kafka-queue reference dup-append', system: 'kafka', target: 'reference', args: ['kafka-queue', '--duration', '6', '--inject-bug', 'dup-append'], expect: { valid: false, anomalies: ['duplicate'] } },
  // Power loss with the topic fsyncing every message: the journal, the cut and log recovery
  // must lose nothing acknowledged (one case, ~12 s; the e2e tests cover the default policy and skip-fsync).
  {
    name: 'kafka-queue reference disk flush-messages=1',
    system: 'kafka',
    target: 'reference',
    args: ['kafka-queue', '--duration', '6', '--nemesis', 'disk', '--set', 'nemesis-interval=2', '--set', 'flush-messages=1'],
    expect: { valid: true },
  },
  // Wall-clock steps under transactions (timestamps, timeouts): exactly-once must hold (~10 s;
  // the copy ends when done, the duration is a generous cap for a loaded machine).
  {
    name: 'kafka-txn-copy reference clock',
    system: 'kafka',
    target: 'reference',
    args: ['kafka-txn-copy', '--duration', '20', '--nemesis', 'clock', '--set', 'records=10000', '--set', 'txn-records=50', '--set', 'txn-timeout=5000', '--set', 'nemesis-interval=2'],
    expect: { valid: true },
  },
  {
    name: 'kafka-queue apache acks=all kill',
    system: 'kafka',
    target: 'apache',
    args: ['kafka-queue', '--nodes', '3', '--duration', '20', '--nemesis', 'kill:one', '--set', 'nemesis-interval=8'],
    expect: { valid: true },
  },
];

export type CaseVerdict = 'passed' | 'failed' | 'skipped';

export interface JepsenCaseOutcome {
  name: string;
  verdict: CaseVerdict;
  /** Why it failed or was skipped; what was found when it passed. */
  detail: string;
  exitCode: number | null;
  outDir?: string;
  seconds: number;
}

export interface JepsenProfileOptions {
  system?: 'zookeeper' | 'kafka';
  /** Only the reference servers, only Apache, or both (default). */
  target?: 'reference' | 'apache';
  outDir: string;
  log: Logger;
  signal?: AbortSignal;
}

/** The cases selected by system and target. */
export function selectJepsenCases(system?: string, target?: string): JepsenCase[] {
  if (system !== undefined && system !== 'zookeeper' && system !== 'kafka') throw new UsageError('KZ_SYSTEM_INVALID', `the system must be 'zookeeper' or 'kafka', not '${system}'`);
  if (target !== undefined && target !== 'reference' && target !== 'apache') throw new UsageError('KZ_JEPSEN_TARGET', `--jepsen runs against 'reference' or 'apache' (or both when --target is not given), not '${target}'`);
  return jepsenCases.filter((c) => (system === undefined || c.system === system) && (target === undefined || c.target === target));
}

/**
 * Runs the profile, one `kzbench run` child per case (each handles its own sandbox and
 * cleanup), and judges each against its expectation. Cases whose prerequisites are missing
 * (Apache not fetched, no root for network faults) are skipped with the reason, so a
 * developer machine still runs the rest; CI has everything.
 */
export async function runJepsenProfile(opts: JepsenProfileOptions): Promise<{ outcomes: JepsenCaseOutcome[]; exitCode: number }> {
  const cases = selectJepsenCases(opts.system, opts.target);
  const outRoot = resolve(opts.outDir);
  await mkdir(outRoot, { recursive: true });
  const outcomes: JepsenCaseOutcome[] = [];
  for (const c of cases) {
    if (opts.signal?.aborted) break;
    const skip = await skipReason(c);
    if (skip) {
      opts.log.warn(`jepsen: skipping ${c.name}: ${skip}`);
      outcomes.push({ name: c.name, verdict: 'skipped', detail: skip, exitCode: null, seconds: 0 });
      continue;
    }
    opts.log.info(`jepsen: ${c.name}`);
    outcomes.push(await runCase(c, join(outRoot, c.name.replace(/[^a-z0-9.-]+/gi, '_')), opts));
  }
  const failed = outcomes.some((o) => o.verdict === 'failed');
  return { outcomes, exitCode: failed ? 3 : 0 };
}

async function skipReason(c: JepsenCase): Promise<string | null> {
  if (c.network) {
    const why = sandboxUnavailableReason();
    if (why) return `network faults need a sandbox, but ${why}`;
  }
  if (c.target === 'apache') {
    const version = c.system === 'zookeeper' ? APACHE_ZOOKEEPER : APACHE_KAFKA;
    if (!(await findCachedDistribution(cacheRoot(), c.system, version))) return `Apache ${c.system} ${version} is not in the cache (kzbench apache fetch --${c.system} ${version})`;
  }
  return null;
}

async function runCase(c: JepsenCase, outDir: string, opts: JepsenProfileOptions): Promise<JepsenCaseOutcome> {
  const started = Date.now();
  const target = c.target === 'reference' ? 'reference' : `apache:${c.system === 'zookeeper' ? APACHE_ZOOKEEPER : APACHE_KAFKA}`;
  const args = ['run', ...c.args, '--target', target, '--out', outDir];
  const { code, stderr } = await runChild(process.execPath, [builtCliPath(), ...args], opts.signal);
  const seconds = Math.round((Date.now() - started) / 1000);
  let checks: CheckResult[];
  try {
    checks = (JSON.parse(await readFile(join(outDir, 'results.json'), 'utf8')) as { checks: CheckResult[] }).checks;
  } catch {
    return { name: c.name, verdict: 'failed', detail: `no results (exit ${code}): ${lastLines(stderr)}`, exitCode: code, outDir, seconds };
  }
  const found = [...new Set(checks.flatMap((k) => k.anomalyTypes))];
  const invalid = checks.some((k) => k.valid === false);
  const unknown = checks.some((k) => k.valid === 'unknown');
  if (c.expect.valid) {
    const ok = code === 0 && !invalid && !unknown;
    return { name: c.name, verdict: ok ? 'passed' : 'failed', detail: ok ? 'valid' : `expected valid, got exit ${code}${found.length ? `, anomalies ${found.join(', ')}` : ''}${unknown ? ' (unknown)' : ''}`, exitCode: code, outDir, seconds };
  }
  const missing = c.expect.anomalies.filter((a) => !found.includes(a));
  const ok = code === 3 && invalid && missing.length === 0;
  return {
    name: c.name,
    verdict: ok ? 'passed' : 'failed',
    detail: ok ? `invalid as expected: ${found.join(', ')}` : `expected invalid with ${c.expect.anomalies.join(', ')}, got exit ${code} and ${found.length ? found.join(', ') : 'no anomaly'}`,
    exitCode: code,
    outDir,
    seconds,
  };
}

function runChild(command: string, args: string[], signal?: AbortSignal): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (stderr.length > 200_000) stderr = stderr.slice(-100_000);
    });
    const onAbort = () => child.kill('SIGINT');
    signal?.addEventListener('abort', onAbort, { once: true });
    child.once('error', reject);
    child.once('close', (code) => {
      signal?.removeEventListener('abort', onAbort);
      resolvePromise({ code, stderr });
    });
  });
}

function lastLines(text: string, n = 6): string {
  return text.trimEnd().split('\n').slice(-n).join('\n');
}

/** The profile's outcome as a text table for the terminal. */
export function formatJepsenOutcomes(outcomes: readonly JepsenCaseOutcome[]): string {
  const width = Math.max(...outcomes.map((o) => o.name.length), 4);
  const lines = outcomes.map((o) => `${o.verdict.toUpperCase().padEnd(7)} ${o.name.padEnd(width)} ${String(o.seconds).padStart(4)} s  ${o.detail.split('\n')[0]}`);
  const passed = outcomes.filter((o) => o.verdict === 'passed').length;
  const failed = outcomes.filter((o) => o.verdict === 'failed').length;
  const skipped = outcomes.filter((o) => o.verdict === 'skipped').length;
  return [...lines, `${passed} passed, ${failed} failed, ${skipped} skipped`].join('\n');
}
