import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSandboxNamespaces, sandboxUnavailableReason } from '../../workloads/nemesis/network-sandbox.js';
import { cachedApache } from '../integration/launchers/cached-apache.js';
import { cliPath, repoRoot } from '../support/cli.js';
import { processesMentioning } from './jepsen-support.js';

const { dist, reason } = await cachedApache('zookeeper', '3.9.5');
const sandboxMissing = sandboxUnavailableReason();
if (!dist) console.warn(`skipping the interrupted Jepsen run: ${reason}`);
if (sandboxMissing) console.warn(`skipping the interrupted Jepsen run: ${sandboxMissing}`);

/**
 * Ctrl-C in the middle of a run with faults in force: the run must heal, stop its cluster,
 * still write its results, and leave no process, namespace or rule behind. The run's temporary
 * files go to a directory of the test's own (TMPDIR), so "no process mentions it" proves every
 * server is gone.
 */
describe.skipIf(!dist || sandboxMissing !== null)('an interrupted Jepsen run cleans up', { timeout: 300_000 }, () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'kz-interrupt-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('SIGINT while a partition and a pause are in force: faults healed, cluster stopped, results written, namespaces gone', async () => {
    const out = join(root, 'out');
    const child = spawn(
      process.execPath,
      [cliPath, 'run', 'zk-cas-register', '--target', 'apache:3.9.5', '--nodes', '3', '--duration', '120', '--nemesis', 'partition,pause', '--set', 'nemesis-interval=2', '--out', out],
      { cwd: repoRoot, env: { ...process.env, TMPDIR: root }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    let sandboxName = '';
    const started = new Promise<void>((resolve) => {
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        sandboxName ||= /network sandbox (kzb\d+-[0-9a-f]{4})/.exec(stderr)?.[1] ?? '';
        // Two faults started: at least one is in force when the signal lands.
        if ((stderr.match(/nemesis: start /g) ?? []).length >= 2) resolve();
      });
    });
    await started;
    child.kill('SIGINT');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(sandboxName).not.toBe('');
    expect(stderr).toContain('interrupted');
    expect(code, stderr.slice(-3000)).not.toBeNull();
    expect([0, 3]).toContain(code);
    expect(existsSync(join(out, 'results.json'))).toBe(true);
    expect(stderr).toMatch(/nemesis: stop (partition|pause)/);
    expect(await processesMentioning(root)).toEqual([]);
    expect((await listSandboxNamespaces()).filter((n) => n.startsWith(sandboxName))).toEqual([]);
  });
});
