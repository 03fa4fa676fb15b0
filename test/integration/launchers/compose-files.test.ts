import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findOnPath } from '../../../workloads/launchers/prerequisites.js';
import { repoRoot } from '../../../workloads/launchers/repo-paths.js';

const dockerDir = join(repoRoot(), 'docker');
const composeFiles = readdirSync(dockerDir).filter((f) => f.endsWith('.compose.yml'));
const hasCompose = findOnPath('docker-compose') !== null;
if (!hasCompose) console.warn('skipping compose file validation: docker-compose is not installed (apt-get install docker-compose)');

describe.skipIf(!hasCompose)('docker/ compose files', () => {
  it('ships the Apache and reference topologies', () => {
    expect(composeFiles.sort()).toEqual([
      'apache-kafka.compose.yml',
      'apache-zookeeper.compose.yml',
      'reference-kafka.compose.yml',
      'reference-zookeeper.compose.yml',
    ]);
  });

  for (const file of composeFiles) {
    it(`${file} is valid for docker-compose config, with three nodes on loopback ports the launcher can set`, () => {
      const env = { ...process.env, KZ_ZK1_PORT: '41001', KZ_KAFKA1_PORT: '41002' };
      const res = spawnSync('docker-compose', ['-f', join(dockerDir, file), 'config'], { encoding: 'utf8', env });
      expect(res.status, res.stderr).toBe(0);
      const services = [...res.stdout.matchAll(/^ {2}(\w+):$/gm)].map((m) => m[1]);
      expect(services).toHaveLength(3);
      expect(res.stdout).toMatch(file.includes('kafka') ? /127\.0\.0\.1:41002:9092/ : /127\.0\.0\.1:41001:2181/);
      if (file.includes('kafka')) expect(res.stdout).toContain('EXTERNAL://127.0.0.1:41002');
    });
  }
});
