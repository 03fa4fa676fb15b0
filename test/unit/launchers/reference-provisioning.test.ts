import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionClusterFiles } from '../../../workloads/launchers/cluster-provisioning.js';
import { builtCliPath } from '../../../workloads/launchers/repo-paths.js';

/** `--impl reference` lays out the same files Apache gets and runs `kzbench serve` on them. */
describe.skipIf(!existsSync(builtCliPath()))('reference cluster provisioning (needs npm run build)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kz-ref-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('ZooKeeper: zoo.cfg and myid per node, distinct ports, serve zookeeper --config', async () => {
    const zkDir = join(dir, 'zk');
    const nodes = await provisionClusterFiles({ system: 'zookeeper', impl: 'reference', nodes: 3, dir: zkDir, host: '127.0.0.1', adminServer: false });
    const ports = nodes.flatMap((n) => [n.port, ...n.peerPorts]);
    expect(new Set(ports).size).toBe(9);
    for (const n of nodes) {
      expect(n.start.command).toBe(process.execPath);
      expect(n.start.args).toEqual([builtCliPath(), 'serve', 'zookeeper', '--config', n.configFile]);
      expect(n.start.marker).toBe(n.configFile);
      const cfg = await readFile(n.configFile, 'utf8');
      expect(cfg).toContain(`clientPort=${n.port}`);
      expect(cfg).toContain(`dataDir=${n.dataDir}`);
      for (const peer of nodes) expect(cfg).toContain(`server.${peer.id}=127.0.0.1:${peer.peerPorts[0]}:${peer.peerPorts[1]}`);
      expect(await readFile(join(n.dataDir, 'myid'), 'utf8')).toBe(`${n.id}\n`);
    }
  });

  it('Kafka: server.properties per node with one voter set, serve kafka --config, no JVM needed', async () => {
    const kDir = join(dir, 'kafka');
    const nodes = await provisionClusterFiles({ system: 'kafka', impl: 'reference', nodes: 3, dir: kDir, host: '127.0.0.1', adminServer: false });
    const voters = nodes.map((n) => `${n.id}@127.0.0.1:${n.peerPorts[0]}`).join(',');
    for (const n of nodes) {
      expect(n.start.args).toEqual([builtCliPath(), 'serve', 'kafka', '--config', n.configFile]);
      const props = await readFile(n.configFile, 'utf8');
      expect(props).toContain(`node.id=${n.id}\n`);
      expect(props).toContain(`controller.quorum.voters=${voters}\n`);
      expect(props).toContain(`advertised.listeners=PLAINTEXT://127.0.0.1:${n.port}\n`);
      expect(props).toContain(`log.dirs=${n.dataDir}\n`);
    }
  });

  it('starts from clean node directories', async () => {
    const zkDir = join(dir, 'again');
    const first = await provisionClusterFiles({ system: 'zookeeper', impl: 'reference', nodes: 1, dir: zkDir, host: '127.0.0.1', adminServer: true });
    const second = await provisionClusterFiles({ system: 'zookeeper', impl: 'reference', nodes: 1, dir: zkDir, host: '127.0.0.1', adminServer: true });
    expect(second[0]!.adminPort).toBeTypeOf('number');
    expect(await readFile(second[0]!.configFile, 'utf8')).toContain(`admin.serverPort=${second[0]!.adminPort}`);
    expect(first[0]!.configFile).toBe(second[0]!.configFile);
  });
});
