import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runApacheTool } from '../../../workloads/launchers/apache-tools.js';
import type { ApacheDistribution } from '../../../workloads/launchers/apache-distribution.js';
import { LocalCluster } from '../../../workloads/launchers/local-cluster.js';
import { processExists } from '../../../workloads/launchers/process-liveness.js';
import { zookeeperMode } from '../../../workloads/launchers/zookeeper-health.js';
import { cachedApache } from './cached-apache.js';

const { dist, reason } = await cachedApache('zookeeper', '3.9.5');
if (!dist) console.warn(`skipping the ZooKeeper launcher integration tests: ${reason}`);

/** One 3-node Apache ZooKeeper 3.9 ensemble shared by every test here (JVM starts are slow on 2 cores). */
describe.skipIf(!dist)('local launcher: Apache ZooKeeper 3-node ensemble, node operations and zkCli', { timeout: 300_000 }, () => {
  let dir: string;
  let cluster: LocalCluster;
  const zkDist = dist as ApacheDistribution;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kz-zk3-'));
    cluster = await LocalCluster.start({ system: 'zookeeper', impl: 'apache', version: '3.9.5', nodes: 3, dir });
  }, 400_000);
  afterAll(async () => {
    await cluster?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const shell = (args: string[]) => runApacheTool(zkDist, 'zookeeper-shell', ['-server', cluster.connectString, ...args], { timeoutMs: 60_000 });

  it('ZooKeeperMain from the cache creates and reads a znode through the quorum', async () => {
    const created = await shell(['create', '/kz-launcher', 'hello-quorum']);
    expect(created.code, created.stderr).toBe(0);
    // 3.9 prints the confirmation on stderr.
    expect(created.stdout + created.stderr).toContain('Created /kz-launcher');
    const read = await shell(['get', '/kz-launcher']);
    expect(read.stdout).toContain('hello-quorum');
  });

  async function leaderId(): Promise<number> {
    for (const id of cluster.nodeIds) {
      const node = cluster.target.nodes.find((n) => n.id === id)!;
      if ((await zookeeperMode(node.host, node.port)) === 'leader') return id;
    }
    throw new Error('no leader');
  }

  it('SIGKILL of the leader, then restart: the ensemble elects again and keeps the data', async () => {
    const leader = await leaderId();
    const pid = cluster.pidOf(leader)!;
    await cluster.killNode(leader);
    expect(processExists(pid)).toBe(false);
    expect(cluster.status(leader)).toBe('stopped');
    await cluster.startNode(leader);
    await cluster.waitHealthy();
    expect(cluster.status(leader)).toBe('running');
    expect(cluster.pidOf(leader)).not.toBe(pid);
    expect((await shell(['get', '/kz-launcher'])).stdout).toContain('hello-quorum');
  });

  it('SIGSTOP silences a node; SIGCONT brings it back', async () => {
    const leader = await leaderId();
    const follower = cluster.nodeIds.find((id) => id !== leader)!;
    const node = cluster.target.nodes.find((n) => n.id === follower)!;
    await cluster.pauseNode(follower);
    try {
      expect(cluster.status(follower)).toBe('paused');
      expect(await zookeeperMode(node.host, node.port)).toBeNull();
    } finally {
      await cluster.resumeNode(follower);
    }
    expect(cluster.status(follower)).toBe('running');
    await cluster.waitNodeServing(follower);
  });

  it('stop (SIGTERM) and restart of one node; another process can attach through cluster.json', async () => {
    const before = cluster.pidOf(2);
    const other = await LocalCluster.open(dir);
    await other.restartNode(2);
    expect(processExists(before!)).toBe(false);
    // The first handle reads cluster.json again, so it sees the pid the other one started.
    await cluster.waitHealthy();
    expect(cluster.pidOf(2)).toBe(other.pidOf(2));
    expect(cluster.target.nodes.find((n) => n.id === 2)!.pid).toBe(other.pidOf(2));
  });

  it('stop with keep, then startStopped: the same ensemble comes back with its data', async () => {
    const pids = cluster.nodeIds.map((id) => cluster.pidOf(id)!);
    await cluster.stop({ keep: true });
    expect(pids.filter(processExists)).toEqual([]);
    expect(cluster.nodeIds.map((id) => cluster.status(id))).toEqual(['stopped', 'stopped', 'stopped']);
    await cluster.startStopped();
    expect((await shell(['get', '/kz-launcher'])).stdout).toContain('hello-quorum');
  });
});

const debian = await cachedApache('zookeeper', 'debian');

describe.skipIf(!debian.dist)("local launcher: Debian's ZooKeeper 3.8.0 standalone", () => {
  it('starts with --impl apache:debian, serves, and leaves nothing behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kz-zkdeb-'));
    const cluster = await LocalCluster.start({ system: 'zookeeper', impl: 'apache', version: 'debian', nodes: 1, dir });
    try {
      expect(cluster.target.version).toBe('3.8.0');
      const node = cluster.target.nodes[0]!;
      expect(await zookeeperMode(node.host, node.port)).toBe('standalone');
    } finally {
      const pid = cluster.pidOf(1);
      await cluster.stop();
      expect(pid !== null && processExists(pid)).toBe(false);
      expect(existsSync(join(dir, 'node1', 'data'))).toBe(false);
      await sleep(0);
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!dist)('local launcher: two standalone servers side by side, one with the AdminServer', { timeout: 300_000 }, () => {
  it('each gets its own free ports; the AdminServer answers on its port', async () => {
    const dirs = await Promise.all([mkdtemp(join(tmpdir(), 'kz-zk-a-')), mkdtemp(join(tmpdir(), 'kz-zk-b-'))]);
    const clusters = await Promise.all([
      LocalCluster.start({ system: 'zookeeper', impl: 'apache', version: '3.9.5', nodes: 1, dir: dirs[0]!, adminServer: true }),
      LocalCluster.start({ system: 'zookeeper', impl: 'apache', version: '3.9.5', nodes: 1, dir: dirs[1]! }),
    ]);
    try {
      const [a, b] = clusters.map((c) => c.target.nodes[0]!);
      expect(a!.port).not.toBe(b!.port);
      expect(b!.adminPort).toBeUndefined();
      const res = await fetch(`http://127.0.0.1:${a!.adminPort}/commands/ruok`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ command: 'ruok', error: null });
    } finally {
      await Promise.all(clusters.map((c) => c.stop()));
      await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
    }
  });
});
