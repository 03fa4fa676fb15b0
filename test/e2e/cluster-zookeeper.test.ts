import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Target } from '../../workloads/launchers/target.js';
import { connectString } from '../../workloads/launchers/target.js';
import { zookeeperMode } from '../../workloads/launchers/zookeeper-health.js';
import { cachedApache } from '../integration/launchers/cached-apache.js';
import { clusterDown, clusterUp, forceDown } from './cluster-support.js';

const { dist, reason } = await cachedApache('zookeeper', '3.9.5');
if (!dist) console.warn(`skipping kzbench cluster up zookeeper: ${reason}`);
const zkCli = '/usr/share/zookeeper/bin/zkCli.sh';

describe.skipIf(!dist)('kzbench cluster up/down zookeeper --impl apache', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'kz-e2e-zk-'));
  });
  afterAll(async () => {
    for (const d of ['one', 'three']) await forceDown(join(root, d));
    await rm(root, { recursive: true, force: true });
  });

  it('one node: standalone, then down leaves no process and no data', { timeout: 300_000 }, async () => {
    const dir = join(root, 'one');
    const target = await clusterUp(['zookeeper', '--impl', 'apache:3.9', '--nodes', '1'], dir);
    expect(target).toMatchObject({ system: 'zookeeper', impl: 'apache', version: '3.9.5', launcher: 'local' });
    expect(target.nodes).toHaveLength(1);
    expect(await zookeeperMode(target.nodes[0]!.host, target.nodes[0]!.port)).toBe('standalone');
    expect(existsSync(join(dir, 'node1', 'zookeeper.log'))).toBe(true);
    await clusterDown(dir, target);
  });

  it.skipIf(!existsSync(zkCli))("three nodes: a quorum with distinct ports; Debian's zkCli.sh creates and reads a znode", { timeout: 300_000 }, async () => {
    const dir = join(root, 'three');
    const target = await clusterUp(['zookeeper', '--nodes', '3'], dir);
    const ports = target.nodes.flatMap((n) => [n.port, ...(n.peerPorts ?? [])]);
    expect(new Set(ports).size).toBe(9);
    const modes = await Promise.all(target.nodes.map((n) => zookeeperMode(n.host, n.port)));
    expect(modes.sort()).toEqual(['follower', 'follower', 'leader']);
    const cli = (...args: string[]) => spawnSync(zkCli, ['-server', connectString(target), ...args], { encoding: 'utf8', timeout: 60_000 });
    const created = cli('create', '/kz-e2e', 'from-zkcli');
    expect(created.status, created.stderr).toBe(0);
    // Read through another member than the one that took the write.
    const last = target.nodes[2]!;
    const read = spawnSync(zkCli, ['-server', `${last.host}:${last.port}`, 'get', '/kz-e2e'], { encoding: 'utf8', timeout: 60_000 });
    expect(read.stdout).toContain('from-zkcli');
    await clusterDown(dir, target satisfies Target);
  });
});
