import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KzbenchError } from '../../common/errors.js';
import { freePorts } from '../../common/ports.js';
import type { ApacheDistribution } from './apache-distribution.js';
import type { ApacheSystem } from './apache-versions.js';
import { runApacheTool } from './apache-tools.js';
import type { ClusterImpl } from './cluster-spec.js';
import type { ClusterNodeState } from './cluster-state.js';
import { newKafkaClusterId, serverPropertiesText, type KafkaNodeLayout } from './kafka-config.js';
import type { CommandLine } from './java-command.js';
import { apacheKafkaCommand, apacheZookeeperCommand, referenceServerCommand } from './node-commands.js';
import { myidText, zooCfgText, type ZookeeperNodeLayout } from './zookeeper-config.js';

export interface ProvisioningInput {
  system: ApacheSystem;
  impl: ClusterImpl;
  /** Required for `apache`. */
  distribution?: ApacheDistribution;
  nodes: number;
  dir: string;
  host: string;
  /** ZooKeeper: run the AdminServer on a free port. */
  adminServer: boolean;
  /** ZooKeeper: extra zoo.cfg keys, written after the defaults. */
  zooCfg?: Record<string, string>;
  /** Overrides the default JVM heap flags of Apache nodes. */
  heap?: string[];
  /** Fault injection: each node's own address (index = id - 1); `host` then only probes free ports. */
  nodeHosts?: readonly string[];
}

export function nodeDirName(id: number): string {
  return `node${id}`;
}

/**
 * Lays out a fresh cluster in `dir`: distinct free ports, one directory per node with its
 * config, data and log, and (Apache Kafka) storage formatted with one cluster id. Returns
 * each node's state with its start command; nothing is running yet.
 */
export async function provisionClusterFiles(input: ProvisioningInput): Promise<ClusterNodeState[]> {
  const ids = Array.from({ length: input.nodes }, (_, i) => i + 1);
  for (const id of ids) await rm(join(input.dir, nodeDirName(id)), { recursive: true, force: true });
  return input.system === 'zookeeper' ? provisionZookeeper(input, ids) : provisionKafka(input, ids);
}

async function nodeCommandFor(input: ProvisioningInput, configFile: string, nodeDir: string): Promise<CommandLine> {
  if (input.impl === 'reference') return referenceServerCommand(input.system, configFile);
  if (!input.distribution) throw new Error('an Apache cluster needs a distribution');
  return input.system === 'zookeeper'
    ? apacheZookeeperCommand(input.distribution, configFile, nodeDir, input.heap)
    : apacheKafkaCommand(input.distribution, configFile, nodeDir, input.heap);
}

function nodeState(
  input: ProvisioningInput,
  layout: { id: number; host: string; port: number; peerPorts: number[]; adminPort?: number; nodeDir: string; dataDir: string; configFile: string },
  cmd: CommandLine,
): ClusterNodeState {
  return {
    id: layout.id,
    host: layout.host,
    port: layout.port,
    peerPorts: layout.peerPorts,
    ...(layout.adminPort !== undefined ? { adminPort: layout.adminPort } : {}),
    nodeDir: layout.nodeDir,
    dataDir: layout.dataDir,
    configFile: layout.configFile,
    start: {
      command: cmd.command,
      args: cmd.args,
      cwd: layout.nodeDir,
      logFile: join(layout.nodeDir, `${input.system}.log`),
      marker: layout.configFile,
    },
    pid: null,
  };
}

async function provisionZookeeper(input: ProvisioningInput, ids: number[]): Promise<ClusterNodeState[]> {
  const perNode = input.adminServer ? 4 : 3;
  const ports = await freePorts(ids.length * perNode, input.host);
  const layouts: ZookeeperNodeLayout[] = ids.map((id, i) => ({
    id,
    host: input.nodeHosts?.[i] ?? input.host,
    clientPort: ports[i * perNode]!,
    quorumPort: ports[i * perNode + 1]!,
    electionPort: ports[i * perNode + 2]!,
    ...(input.adminServer ? { adminPort: ports[i * perNode + 3]! } : {}),
    dataDir: join(input.dir, nodeDirName(id), 'data'),
  }));
  const states: ClusterNodeState[] = [];
  for (const layout of layouts) {
    const nodeDir = join(input.dir, nodeDirName(layout.id));
    const configFile = join(nodeDir, 'zoo.cfg');
    await mkdir(layout.dataDir, { recursive: true });
    await writeFile(configFile, zooCfgText(layout, layouts, input.zooCfg));
    await writeFile(join(layout.dataDir, 'myid'), myidText(layout));
    const cmd = await nodeCommandFor(input, configFile, nodeDir);
    states.push(
      nodeState(
        input,
        {
          id: layout.id,
          host: layout.host,
          port: layout.clientPort,
          peerPorts: [layout.quorumPort, layout.electionPort],
          ...(layout.adminPort !== undefined ? { adminPort: layout.adminPort } : {}),
          nodeDir,
          dataDir: layout.dataDir,
          configFile,
        },
        cmd,
      ),
    );
  }
  return states;
}

async function provisionKafka(input: ProvisioningInput, ids: number[]): Promise<ClusterNodeState[]> {
  const ports = await freePorts(ids.length * 2, input.host);
  const layouts: KafkaNodeLayout[] = ids.map((id, i) => ({
    id,
    host: input.nodeHosts?.[i] ?? input.host,
    port: ports[i * 2]!,
    controllerPort: ports[i * 2 + 1]!,
    logDir: join(input.dir, nodeDirName(id), 'data'),
  }));
  const clusterId = newKafkaClusterId();
  const states: ClusterNodeState[] = [];
  for (const layout of layouts) {
    const nodeDir = join(input.dir, nodeDirName(layout.id));
    const configFile = join(nodeDir, 'server.properties');
    await mkdir(layout.logDir, { recursive: true });
    await writeFile(configFile, serverPropertiesText(layout, layouts));
    const cmd = await nodeCommandFor(input, configFile, nodeDir);
    states.push(
      nodeState(input, { id: layout.id, host: layout.host, port: layout.port, peerPorts: [layout.controllerPort], nodeDir, dataDir: layout.logDir, configFile }, cmd),
    );
  }
  if (input.impl === 'apache' && input.distribution) {
    const dist = input.distribution;
    // Every node's log dir carries the same cluster id, or the quorum never forms.
    await Promise.all(states.map((s) => formatKafkaStorage(dist, s.configFile, clusterId)));
  }
  return states;
}

async function formatKafkaStorage(dist: ApacheDistribution, configFile: string, clusterId: string): Promise<void> {
  const res = await runApacheTool(dist, 'kafka-storage', ['format', '-t', clusterId, '-c', configFile, '--ignore-formatted'], {
    timeoutMs: 120_000,
  });
  if (res.code !== 0) {
    throw new KzbenchError('KZ_KAFKA_FORMAT_FAILED', `kafka-storage format failed for ${configFile} (exit ${res.code}):\n${(res.stderr + res.stdout).trim().slice(-2000)}`);
  }
}
