import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApacheSystem } from '../../../workloads/launchers/apache-versions.js';
import { builtCliPath } from '../../../workloads/launchers/repo-paths.js';

/**
 * `--impl reference` runs `kzbench serve <system> --config <file>`. Until a system's reference
 * server exists, `serve` exits at once (2, KZ_NOT_IMPLEMENTED); these tests then skip, and run by
 * themselves once a standalone server stays up. Returns why it is not ready, or null.
 */
export function serveNotReady(system: ApacheSystem): string | null {
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

