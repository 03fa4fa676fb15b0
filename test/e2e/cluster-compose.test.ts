import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findOnPath } from '../../workloads/launchers/prerequisites.js';
import { runCli } from '../support/cli.js';

const engine = findOnPath('docker') !== null && spawnSync('docker', ['info'], { timeout: 20_000 }).status === 0;
if (engine) console.warn('a Docker engine runs here: the no-engine error path of --launcher compose is not exercised');

describe('kzbench cluster up --launcher compose', () => {
  it.skipIf(engine)('without a Docker engine: exit 2, saying so and suggesting --launcher local', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kz-e2e-compose-'));
    try {
      const res = await runCli(['cluster', 'up', 'zookeeper', '--nodes', '3', '--launcher', 'compose', '--dir', dir]);
      expect(res.code).toBe(2);
      expect(res.stderr).toContain('KZ_DOCKER_UNAVAILABLE');
      expect(res.stderr).toContain('--launcher local');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the compose files describe 3 nodes: another count is a usage error', async () => {
    const res = await runCli(['cluster', 'up', 'kafka', '--nodes', '1', '--launcher', 'compose', '--dir', join(tmpdir(), 'kz-unused')]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('KZ_COMPOSE_NODES');
  });
});
