import { describe, expect, it } from 'vitest';
import { sandboxUnavailableReason } from '../../workloads/nemesis/network-sandbox.js';
import { cachedApache } from '../integration/launchers/cached-apache.js';
import { runCli } from '../support/cli.js';
import { check, jepsenRun, orphanedNamespaces } from './jepsen-support.js';

/**
 * Checker validation by seeded bugs (issue #7): the reference ZooKeeper breaks one guarantee
 * on purpose and the same short run must be judged invalid with the right anomaly, while
 * the run without the bug is judged valid.
 */
describe('zk-cas-register against the reference ZooKeeper: seeded bugs are caught', { timeout: 300_000 }, () => {
  const base = ['zk-cas-register', '--target', 'reference', '--duration', '8'];

  it('without a bug the history is linearizable and keeps the session rules', async () => {
    const run = await jepsenRun(base);
    expect(run.cli.code, run.cli.stderr.slice(-2000)).toBe(0);
    expect(check(run, 'linearizability').valid).toBe(true);
    expect(check(run, 'zookeeper-session').valid).toBe(true);
  });

  it('stale-read: nonlinearizable, and a zk-stale-read by the session rules', async () => {
    const run = await jepsenRun([...base, '--inject-bug', 'stale-read']);
    expect(run.cli.code).toBe(3);
    expect(check(run, 'linearizability').anomalyTypes).toContain('nonlinearizable');
    expect(check(run, 'zookeeper-session').anomalyTypes).toContain('zk-stale-read');
    expect(run.results.config.injectBug).toBe('stale-read');
  });

  it('lost-ack: an acknowledged write that never took effect is nonlinearizable', async () => {
    const run = await jepsenRun([...base, '--inject-bug', 'lost-ack']);
    expect(run.cli.code).toBe(3);
    expect(check(run, 'linearizability').anomalyTypes).toContain('nonlinearizable');
  });

  it('disk faults (crash + lost unfsynced writes) lose nothing acknowledged; with skip-fsync they do', async () => {
    const disk = ['--nemesis', 'disk', '--set', 'nemesis-interval=2', '--duration', '10'];
    const healthy = await jepsenRun([...base, ...disk]);
    expect(healthy.cli.code, healthy.cli.stderr.slice(-2000)).toBe(0);
    expect(healthy.results.nemesis.some((n) => n.fault === 'disk')).toBe(true);
    expect(check(healthy, 'linearizability').valid).toBe(true);

    const broken = await jepsenRun([...base, ...disk, '--inject-bug', 'skip-fsync']);
    expect(broken.cli.code, broken.cli.stderr.slice(-3000)).toBe(3);
    expect(broken.results.nemesis.some((n) => n.fault === 'disk')).toBe(true);
    expect(check(broken, 'linearizability').anomalyTypes).toContain('nonlinearizable');
  });

  it('refuses a bug the server does not have, and bugs on Apache, before starting anything', async () => {
    const unknown = await runCli(['run', ...base, '--inject-bug', 'dup-append']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('stale-read, lost-ack, skip-fsync');
    const apache = await runCli(['run', 'zk-cas-register', '--target', 'apache', '--inject-bug', 'stale-read']);
    expect(apache.code).toBe(2);
    expect(apache.stderr).toContain('--target reference');
    expect(apache.stderr).not.toContain('starting apache');
  });
});

describe('ZooKeeper recipes against the reference server', { timeout: 300_000 }, () => {
  it('zk-lock: acquire/release cycles keep mutual exclusion', async () => {
    const run = await jepsenRun(['zk-lock', '--target', 'reference', '--duration', '6']);
    expect(run.cli.code, run.cli.stderr.slice(-2000)).toBe(0);
    const mutex = check(run, 'linearizability');
    expect(mutex.model).toBe('mutex');
    expect(mutex.valid).toBe(true);
    expect(run.history).toMatch(/"process":"L0\.0","type":"ok","f":"acquire"/);
  });

  it('zk-election: one leader at a time, terms grow', async () => {
    const run = await jepsenRun(['zk-election', '--target', 'reference', '--duration', '6']);
    expect(run.cli.code, run.cli.stderr.slice(-2000)).toBe(0);
    expect(check(run, 'linearizability').valid).toBe(true);
    expect(check(run, 'election-terms').valid).toBe(true);
  });

  it('zk-registry: every watcher converges on the final members and config from watches alone', async () => {
    const run = await jepsenRun(['zk-registry', '--target', 'reference', '--duration', '6', '--set', 'session-timeout=4000']);
    expect(run.cli.code, run.cli.stderr.slice(-2000)).toBe(0);
    const convergence = check(run, 'registry-convergence');
    expect(convergence.valid).toBe(true);
    expect(convergence.stats?.watchers).toBe(3);
  });
});

const { dist, reason } = await cachedApache('zookeeper', '3.9.5');
const sandboxMissing = sandboxUnavailableReason();
if (!dist) console.warn(`skipping the Apache ZooKeeper Jepsen run: ${reason}`);
if (sandboxMissing) console.warn(`skipping the Apache ZooKeeper Jepsen run: ${sandboxMissing}`);

describe.skipIf(!dist || sandboxMissing !== null)('zk-cas-register on a 3-node Apache ZooKeeper with partitions and kills', { timeout: 400_000 }, () => {
  it('is judged linearizable, shows its faults on the timelines, and leaves nothing behind', async () => {
    const run = await jepsenRun(['zk-cas-register', '--target', 'apache:3.9.5', '--nodes', '3', '--duration', '25', '--nemesis', 'partition,kill', '--set', 'nemesis-interval=4'], 360_000);
    expect(run.cli.code, run.cli.stderr.slice(-3000)).toBe(0);
    expect(check(run, 'linearizability').valid).toBe(true);
    expect(check(run, 'zookeeper-session').valid).toBe(true);
    const faults = run.results.nemesis;
    expect(faults.length).toBeGreaterThan(0);
    for (const f of faults) {
      expect(['partition', 'kill']).toContain(f.fault);
      expect(f.end).not.toBeNull();
    }
    expect(run.history).toMatch(/"process":"nemesis","type":"info","f":"start-(partition|kill)"/);
    // The report draws every interval as a band on the time charts.
    expect(run.report).toContain(`"label":"${faults[0]!.fault} ${faults[0]!.nodes.join(',')}"`);
    expect(await orphanedNamespaces()).toEqual([]);
  });

  it('zk-registry: watchers converge after kills and partitions expire members', async () => {
    const run = await jepsenRun(['zk-registry', '--target', 'apache:3.9.5', '--nodes', '3', '--duration', '20', '--nemesis', 'partition,kill', '--set', 'nemesis-interval=4'], 360_000);
    expect(run.cli.code, run.cli.stderr.slice(-3000)).toBe(0);
    expect(check(run, 'registry-convergence').valid).toBe(true);
    expect(run.results.nemesis.length).toBeGreaterThan(0);
  });
});
