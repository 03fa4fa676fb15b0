import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readClusterState, targetOf, writeClusterState, type LocalClusterState } from '../../../workloads/launchers/cluster-state.js';
import { TargetSchema } from '../../../workloads/launchers/target.js';

const state: LocalClusterState = {
  format: 1,
  system: 'zookeeper',
  impl: 'apache',
  version: '3.9.5',
  launcher: 'local',
  createdAt: '2025-01-01T00:00:00.000Z',
  nodes: [1, 2].map((id) => ({
    id,
    host: '127.0.0.1',
    port: 2180 + id,
    peerPorts: [2880 + id, 3880 + id],
    nodeDir: `/c/node${id}`,
    dataDir: `/c/node${id}/data`,
    configFile: `/c/node${id}/zoo.cfg`,
    start: { command: 'java', args: ['-cp', 'x', 'Main', `/c/node${id}/zoo.cfg`], cwd: `/c/node${id}`, logFile: `/c/node${id}/zookeeper.log`, marker: `/c/node${id}/zoo.cfg` },
    pid: id === 1 ? 4242 : null,
  })),
};

describe('cluster.json and target.json', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kz-state-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('round-trips the state file', async () => {
    await writeClusterState(dir, state);
    expect(await readClusterState(dir)).toEqual(state);
  });

  it('has no state in an empty directory and rejects a foreign one clearly', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'kz-state-empty-'));
    expect(await readClusterState(empty)).toBeNull();
    await writeFile(join(empty, 'cluster.json'), JSON.stringify({ nodes: [] }));
    await expect(readClusterState(empty)).rejects.toMatchObject({ code: 'KZ_CLUSTER_STATE_INVALID', exitCode: 2 });
    await rm(empty, { recursive: true });
  });

  it('derives a valid target.json: pids only for running nodes', () => {
    const target = targetOf(state);
    expect(TargetSchema.safeParse(target).success).toBe(true);
    expect(target.nodes[0]).toEqual({ id: 1, host: '127.0.0.1', port: 2181, peerPorts: [2881, 3881], pid: 4242, dataDir: '/c/node1/data' });
    expect(target.nodes[1]!.pid).toBeUndefined();
  });
});
