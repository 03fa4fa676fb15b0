import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApacheSystem } from '../../../workloads/launchers/apache-versions.js';
import { LocalCluster } from '../../../workloads/launchers/local-cluster.js';
import { processExists } from '../../../workloads/launchers/process-liveness.js';
import { builtCliPath } from '../../../workloads/launchers/repo-paths.js';

/**
 * `--impl reference` runs `kzbench serve <system> --config <file>`. Until a system's reference
 * server exists, `serve` exits at once (2, KZ_NOT_IMPLEMENTED); these tests then skip, and run by
 * themselves once a standalone server stays up. Returns why it is not ready, or null.
 */
function serveNotReady(system: ApacheSystem): string | null {
  if (!existsSync(builtCliPath())) return 'npm run build has not run';
  const dir = mkdtempSync(join(tmpdir(), 'kz-serve-probe-'));
  try {
    const config = join(dir, system === 'zookeeper' ? 'zoo.cfg' : 'server.properties');
    writeFileSync(config, system === 'zookeeper' ? `clientPort=0\ndataDir=${dir}\n` : `node.id=1\nlog.dirs=${dir}\nlisteners=PLAINTEXT://127.0.0.1:0\n`);
    // Still running after 3 s (killed by the timeout) = it serves.
    const res = spawnSync(process.execPath, [builtCliPath(), 'serve', system, '--config', config], { timeout: 3000, killSignal: 'SIGKILL', encoding: 'utf8' });
    if (res.signal === 'SIGKILL') return null;
    const lines = (res.stderr ?? '').trim().split('\n');
    return `kzbench serve ${system} exited with ${res.status}: ${lines.find((l) => /KZ_|Error/.test(l)) ?? lines.pop() ?? ''}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const [system, nodes] of [
  ['zookeeper', 3],
  ['kafka', 1],
] as const) {
  const notReady = serveNotReady(system);
  if (notReady) console.warn(`skipping the reference ${system} launcher test until kzbench serve ${system} runs: ${notReady}`);
  describe.skipIf(notReady !== null)(`local launcher: reference ${system} (kzbench serve)`, () => {
    it(`starts ${nodes} node(s), passes the same health check as Apache, and stops them`, async () => {
      const dir = await mkdtemp(join(tmpdir(), `kz-ref-${system}-`));
      let pids: number[] = [];
      try {
        const cluster = await LocalCluster.start({ system, impl: 'reference', nodes, dir, readyTimeoutMs: 60_000 });
        pids = cluster.nodeIds.map((id) => cluster.pidOf(id)!);
        try {
          expect(cluster.target.impl).toBe('reference');
          expect(await cluster.healthy()).toBe(true);
        } finally {
          await cluster.stop();
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      expect(pids.filter(processExists)).toEqual([]);
    });
  });
}
