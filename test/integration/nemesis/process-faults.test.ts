import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../common/logger.js';
import { ZooKeeperClient } from '../../../workloads/clients/zookeeper/index.js';
import { LocalCluster } from '../../../workloads/launchers/local-cluster.js';
import { DiskFault } from '../../../workloads/nemesis/disk-fault.js';
import { KillFault } from '../../../workloads/nemesis/kill-fault.js';
import { nemesisClusterOf, type NemesisCluster } from '../../../workloads/nemesis/nemesis-cluster.js';
import { guardedPausedProcesses } from '../../../workloads/nemesis/paused-process-guard.js';
import { PauseFault } from '../../../workloads/nemesis/pause-fault.js';
import { durabilityJournalEnvVar } from '../../../workloads/nemesis/unsynced-writes.js';
import { seededRandom } from '../../../workloads/runner/seeded-random.js';
import { cliPath } from '../../support/cli.js';

/**
 * Process faults against a real server (the reference ZooKeeper, started by the launcher as
 * `kzbench cluster up` would): each fault does what it says to the process, and its heal
 * undoes it. No root needed.
 */
describe.skipIf(!existsSync(cliPath))('kill, pause and disk faults on a launched reference ZooKeeper', { timeout: 120_000 }, () => {
  let dir: string;
  let local: LocalCluster;
  let cluster: NemesisCluster;
  const log = createLogger({ level: 'error' });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kz-process-faults-'));
    local = await LocalCluster.start({
      system: 'zookeeper',
      impl: 'reference',
      nodes: 1,
      dir,
      wrapNodeCommand: (_id, cmd) => ({ ...cmd, env: { ...cmd.env, [durabilityJournalEnvVar]: '1' } }),
    });
    cluster = nemesisClusterOf(local);
  });
  afterAll(async () => {
    await local?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const ctx = () => ({ cluster, random: seededRandom(1), log });

  async function write(path: string): Promise<void> {
    const zk = await ZooKeeperClient.connect({ hosts: local.connectString, sessionTimeout: 10_000 });
    try {
      await zk.create(path, Buffer.from('x'));
    } finally {
      await zk.close();
    }
  }

  async function exists(path: string): Promise<boolean> {
    const zk = await ZooKeeperClient.connect({ hosts: local.connectString, sessionTimeout: 10_000, initialConnectTimeout: 30_000 });
    try {
      return (await zk.exists(path)) !== null;
    } finally {
      await zk.close();
    }
  }

  it('pause freezes the process (and remembers it for an exit-time SIGCONT); heal resumes it', async () => {
    const fault = new PauseFault(ctx(), ['leader']);
    const instance = await fault.start();
    expect(instance.nodes).toEqual(['n1']);
    expect(cluster.state(1)).toBe('paused');
    expect(guardedPausedProcesses()).toContain(cluster.pid(1));
    await instance.heal();
    expect(cluster.state(1)).toBe('running');
    expect(guardedPausedProcesses()).toEqual([]);
  });

  it('kill crashes the process; heal starts it again and acknowledged data is still there', async () => {
    await write('/before-kill');
    const pid = cluster.pid(1);
    const fault = new KillFault(ctx(), ['one']);
    const instance = await fault.start();
    expect(cluster.state(1)).toBe('stopped');
    await instance.heal();
    await local.waitHealthy(60_000);
    expect(cluster.pid(1)).not.toBe(pid);
    expect(await exists('/before-kill')).toBe(true);
  });

  it('disk loses only what was not fsynced: every acknowledged create survives the crash', async () => {
    for (let i = 0; i < 20; i++) await write(`/acked-${i}`);
    const fault = new DiskFault(ctx());
    const instance = await fault.start();
    const lost = (instance.detail as { lostUnsynced: { files: number }[] }).lostUnsynced;
    expect(lost[0]!.files).toBe(1);
    await instance.heal();
    await local.waitHealthy(60_000);
    for (let i = 0; i < 20; i++) expect(await exists(`/acked-${i}`)).toBe(true);
  });

  it('healAll restarts whatever a fault left stopped', async () => {
    await cluster.kill(1);
    await new KillFault(ctx(), ['one']).healAll();
    await local.waitHealthy(60_000);
    expect(cluster.state(1)).toBe('running');
  });
});
