import { existsSync } from 'node:fs';
import { UsageError } from '../../common/errors.js';
import type { ApacheDistribution } from './apache-distribution.js';
import type { ApacheSystem } from './apache-versions.js';
import { javaCommand, type CommandLine } from './java-command.js';
import { builtCliPath } from './repo-paths.js';

/** Modest heaps: up to six JVMs share two cores and the machine's memory with everyone else. */
export const zookeeperHeap = ['-Xms64m', '-Xmx256m'];
export const kafkaHeap = ['-Xms256m', '-Xmx512m'];

/** kafka-run-class.sh's server GC settings. */
const kafkaGcFlags = ['-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-XX:InitiatingHeapOccupancyPercent=35', '-XX:+ExplicitGCInvokesConcurrent'];

/** What zkServer.sh runs: QuorumPeerMain, which runs standalone when zoo.cfg lists no peers. */
export function apacheZookeeperCommand(dist: ApacheDistribution, configFile: string, nodeDir: string, heap = zookeeperHeap): Promise<CommandLine> {
  return javaCommand({
    distribution: dist,
    mainClass: 'org.apache.zookeeper.server.quorum.QuorumPeerMain',
    args: [configFile],
    purpose: 'server',
    heap,
    jvmFlags: [`-Dzookeeper.log.dir=${nodeDir}`],
  });
}

/** What kafka-server-start.sh runs. */
export function apacheKafkaCommand(dist: ApacheDistribution, configFile: string, nodeDir: string, heap = kafkaHeap): Promise<CommandLine> {
  return javaCommand({
    distribution: dist,
    mainClass: 'kafka.Kafka',
    args: [configFile],
    purpose: 'server',
    heap,
    jvmFlags: [...kafkaGcFlags, `-Dkafka.logs.dir=${nodeDir}`],
  });
}

/** This repository's reference server, from the build: `kzbench serve <system> --config <file>`. */
export function referenceServerCommand(system: ApacheSystem, configFile: string): CommandLine {
  const cli = builtCliPath();
  if (!existsSync(cli)) {
    throw new UsageError('KZ_NOT_BUILT', `the reference servers run from the build, but ${cli} is missing: run npm run build first`);
  }
  return { command: process.execPath, args: [cli, 'serve', system, '--config', configFile] };
}
