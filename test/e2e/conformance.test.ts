import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/logger.js';
import type { ConformanceReport } from '../../workloads/conformance/conformance-result.js';
import type { StartedTarget } from '../../workloads/conformance/target-spec.js';
import { startApacheZooKeeper } from '../../workloads/conformance/zookeeper/apache-target.js';
import { runCli } from '../support/cli.js';

const debianZooKeeper = '/usr/share/java/zookeeper.jar';
if (!existsSync(debianZooKeeper)) console.warn(`skipping kzbench conformance against Apache 3.8.0: install Debian's zookeeper package (${debianZooKeeper} is missing)`);

describe('kzbench conformance: usage', () => {
  it('exits 2 on a bad target, an unknown system, a filter matching nothing and a broken scenario file', async () => {
    const bad = await runCli(['conformance', 'zookeeper', '--target', '/no/such/target.json']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('KZ_TARGET_INVALID');
    expect((await runCli(['conformance', 'mysql', '--target', 'reference'])).code).toBe(2);
    const none = await runCli(['conformance', 'zookeeper', '--target', 'reference', '--filter', 'no-such/*']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('KZ_FILTER_EMPTY');
    const dir = await mkdtemp(join(tmpdir(), 'kz-conf-bad-'));
    try {
      await writeFile(join(dir, 'broken.yaml'), 'scenarios:\n  - name: s\n    steps:\n      - op: getData\n        path: /a\n        expect: { err: NOPE }\n');
      const broken = await runCli(['conformance', 'zookeeper', '--target', 'reference', '--scenarios', dir]);
      expect(broken.code).toBe(2);
      expect(broken.stderr).toContain(`${join(dir, 'broken.yaml')}:6:`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!existsSync(debianZooKeeper))('kzbench conformance zookeeper against Apache 3.8.0 and the reference server', () => {
  let apache: StartedTarget;
  let dir: string;
  let targetFile: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kz-conf-e2e-'));
    // One Apache server for the whole file (a JVM start is slow on two cores), with the conformance settings.
    apache = await startApacheZooKeeper('3.8.0', silentLogger);
    targetFile = join(dir, 'target.json');
    await writeFile(targetFile, JSON.stringify(apache.target));
  });
  afterAll(async () => {
    await apache?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('passes a subset of the suite on Apache 3.8.0, one plain line per scenario', { timeout: 300_000 }, async () => {
    const res = await runCli(['conformance', 'zookeeper', '--target', targetFile, '--filter', 'nodes/*,multi/*,watches/*,acl/*'], { timeoutMs: 280_000 });
    expect(res.code, res.stdout + res.stderr).toBe(0);
    const lines = res.stdout.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('PASS ')).length).toBeGreaterThanOrEqual(25);
    expect(lines.some((l) => l.startsWith('FAIL '))).toBe(false);
    expect(lines.at(-1)).toMatch(/\(apache 3\.8\.0\): \d+ scenarios passed, 0 failed, 0 skipped$/);
    // Off a TTY: no colour codes.
    expect(res.stdout).not.toContain('\u001b[');
  });

  it('reports --json with the probed capabilities of a target it did not start', { timeout: 300_000 }, async () => {
    const res = await runCli(['conformance', 'zookeeper', '--target', targetFile, '--filter', 'nodes/ttl-nodes,four-letter-words/*', '--json']);
    expect(res.code, res.stderr).toBe(0);
    const report = JSON.parse(res.stdout) as ConformanceReport;
    expect(report.targets[0]).toMatchObject({ impl: 'apache', version: '3.8.0', capabilities: ['extendedTypes', 'superDigest'] });
    const byName = new Map(report.scenarios.map((s) => [s.name, s]));
    expect(byName.get('nodes/ttl-nodes')!.status).toBe('pass');
    // The whitelist is only known for targets the runner configured itself.
    expect(byName.get('four-letter-words/whitelist-refusal')!.status).toBe('skip');
  });

  it('fails (exit 3) on a wrong expectation and says which step and why', { timeout: 120_000 }, async () => {
    const scenarios = join(dir, 'wrong');
    await import('node:fs/promises').then((fs) => fs.mkdir(scenarios));
    await writeFile(
      join(scenarios, 'wrong.yaml'),
      'scenarios:\n  - name: off-by-one\n    steps:\n      - op: create\n        path: /p/s-\n        expect: { err: NONODE }\n      - op: create\n        path: /p\n      - op: create\n        path: /p/s-\n        mode: persistent_sequential\n        expect: { path: /p/s-0000000001 }\n',
    );
    const res = await runCli(['conformance', 'zookeeper', '--target', targetFile, '--scenarios', scenarios]);
    expect(res.code).toBe(3);
    expect(res.stdout).toContain('FAIL wrong/off-by-one');
    expect(res.stdout).toContain('step 3 create /p/s- (a): path: expected /p/s-0000000001, got /p/s-0000000000');
  });

  it('--diff against the reference server finds the notification zxid difference (3.8 sends -1)', { timeout: 300_000 }, async () => {
    const res = await runCli(['conformance', 'zookeeper', '--target', targetFile, '--diff', 'reference', '--filter', 'watches/data-watch-fires-once,watches/child-watch,errors/*', '--json']);
    expect(res.code).toBe(3);
    const report = JSON.parse(res.stdout) as ConformanceReport;
    expect(report.mode).toBe('diff');
    expect(report.targets.map((t) => [t.impl, t.version])).toEqual([['apache', '3.8.0'], ['reference', '3.9.5']]);
    const once = report.scenarios.find((s) => s.name === 'watches/data-watch-fires-once')!;
    // Both pass their own (version-gated) expectations; only the diff tells them apart.
    expect(once.runs.map((r) => r.status)).toEqual(['pass', 'pass']);
    expect(once.mismatches).toEqual([{ step: 2, label: 'setData /w (a)', path: 'events.b[0].zxid', left: -1, right: 'z2' }]);
    for (const s of report.scenarios.filter((s) => s.name.startsWith('errors/'))) expect(s.mismatches, s.name).toEqual([]);
  });
});
