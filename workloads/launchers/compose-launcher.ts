import { spawn } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { KzbenchError, UsageError } from '../../common/errors.js';
import { freePorts } from '../../common/ports.js';
import { silentLogger, type Logger } from '../../common/logger.js';
import { chooseVersion, type ApacheSystem } from './apache-versions.js';
import type { ClusterImpl } from './cluster-spec.js';
import { readClusterState, stateFileName, targetFileName, targetOf, writeClusterState, type ComposeClusterState } from './cluster-state.js';
import { newKafkaClusterId } from './kafka-config.js';
import { describeKafkaCluster, kafkaClusterHealthy } from './kafka-health.js';
import { findOnPath } from './prerequisites.js';
import { repoRoot } from './repo-paths.js';
import { writeTarget, type Target } from './target.js';
import { ensembleHealthy, zookeeperMode } from './zookeeper-health.js';

/** The compose files in docker/ describe 3-node clusters. */
export const composeNodeCount = 3;

export function composeFile(system: ApacheSystem, impl: ClusterImpl): string {
  return join(repoRoot(), 'docker', `${impl}-${system}.compose.yml`);
}

/** Service names and the env variable carrying each one's published port, per system. */
function composeServices(system: ApacheSystem): Array<{ id: number; service: string; portVar: string }> {
  return [1, 2, 3].map((id) =>
    system === 'zookeeper' ? { id, service: `zk${id}`, portVar: `KZ_ZK${id}_PORT` } : { id, service: `kafka${id}`, portVar: `KZ_KAFKA${id}_PORT` },
  );
}

interface RunResult {
  code: number | null;
  output: string;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolvePromise({ code: null, output: String(err) });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, output });
    });
  });
}

/** True when a Docker engine answers `docker info`. */
export async function dockerEngineAvailable(): Promise<boolean> {
  if (!findOnPath('docker')) return false;
  return (await run('docker', ['info'], {}, 20_000)).code === 0;
}

/** `docker compose` (v2 plugin) when present, else the standalone `docker-compose`. */
async function composeCommand(): Promise<string[]> {
  if (findOnPath('docker') && (await run('docker', ['compose', 'version'], {}, 20_000)).code === 0) return ['docker', 'compose'];
  if (findOnPath('docker-compose')) return ['docker-compose'];
  throw new UsageError('KZ_COMPOSE_MISSING', 'neither `docker compose` nor `docker-compose` is installed: apt-get install docker-compose, or use --launcher local');
}

async function compose(state: Pick<ComposeClusterState, 'compose'>, args: string[], timeoutMs = 15 * 60_000): Promise<RunResult> {
  const [cmd, ...pre] = await composeCommand();
  return run(cmd!, [...pre, '-p', state.compose.project, '-f', state.compose.file, ...args], state.compose.env, timeoutMs);
}

async function composeOrThrow(state: Pick<ComposeClusterState, 'compose'>, args: string[]): Promise<void> {
  const res = await compose(state, args);
  if (res.code !== 0) {
    throw new KzbenchError('KZ_COMPOSE_FAILED', `docker compose ${args.join(' ')} failed (exit ${res.code}):\n${res.output.trim().slice(-2000)}`);
  }
}

export interface ComposeClusterSpec {
  system: ApacheSystem;
  impl: ClusterImpl;
  version?: string;
  nodes: number;
  dir: string;
  readyTimeoutMs?: number;
  log?: Logger;
}

/**
 * `cluster up --launcher compose`: the compose file of docker/ as a project named after the
 * cluster directory, its client ports published on free loopback ports, then the same health
 * checks as the local launcher.
 */
export async function startComposeCluster(spec: ComposeClusterSpec): Promise<Target> {
  const log = spec.log ?? silentLogger;
  if (spec.nodes !== composeNodeCount) {
    throw new UsageError('KZ_COMPOSE_NODES', `the compose files describe ${composeNodeCount}-node clusters; use --nodes 3, or --launcher local for ${spec.nodes}`);
  }
  if (!(await dockerEngineAvailable())) {
    throw new UsageError(
      'KZ_DOCKER_UNAVAILABLE',
      'no Docker engine answers `docker info` here, so --launcher compose cannot run; use --launcher local (same topology, no Docker needed)',
    );
  }
  const dir = resolve(spec.dir);
  await mkdir(dir, { recursive: true });
  if (await readClusterState(dir).catch(() => null)) {
    throw new UsageError('KZ_CLUSTER_RUNNING', `${dir} already holds a cluster: run kzbench cluster down --dir ${dir} first`);
  }
  const services = composeServices(spec.system);
  const ports = await freePorts(services.length);
  const env: Record<string, string> = {};
  services.forEach((s, i) => (env[s.portVar] = String(ports[i])));
  let version: string;
  if (spec.impl === 'apache') {
    const choice = chooseVersion(spec.system, spec.version);
    version = choice.version;
    env[spec.system === 'zookeeper' ? 'KZ_ZOOKEEPER_VERSION' : 'KZ_KAFKA_VERSION'] = choice.version;
  } else {
    version = 'image';
  }
  if (spec.system === 'kafka') env.KZ_KAFKA_CLUSTER_ID = newKafkaClusterId();
  const state: ComposeClusterState = {
    format: 1,
    system: spec.system,
    impl: spec.impl,
    version,
    launcher: 'compose',
    createdAt: new Date().toISOString(),
    nodes: services.map((s, i) => ({ id: s.id, host: '127.0.0.1', port: ports[i]!, service: s.service })),
    compose: { file: composeFile(spec.system, spec.impl), project: `kzbench-${basename(dir).replace(/[^a-z0-9_-]/gi, '').toLowerCase() || 'cluster'}`, env },
  };
  await writeClusterState(dir, state);
  log.info(`starting ${spec.impl} ${spec.system} with docker compose (project ${state.compose.project})`);
  try {
    await composeOrThrow(state, ['up', '-d', ...(spec.impl === 'reference' ? ['--build'] : [])]);
    await waitComposeHealthy(state, spec.readyTimeoutMs ?? 300_000);
  } catch (err) {
    await compose(state, ['down', '-v']).catch(() => undefined);
    await rm(join(dir, stateFileName), { force: true });
    throw err;
  }
  const target = targetOf(state);
  await writeTarget(join(dir, targetFileName), target);
  return target;
}

async function waitComposeHealthy(state: ComposeClusterState, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const healthy =
      state.system === 'zookeeper'
        ? ensembleHealthy(await Promise.all(state.nodes.map((n) => zookeeperMode(n.host, n.port))))
        : kafkaClusterHealthy(
            await describeKafkaCluster(state.nodes.map((n) => `${n.host}:${n.port}`)),
            state.nodes.map((n) => n.id),
          );
    if (healthy) return;
    if (Date.now() > deadline) {
      const logs = await compose(state, ['logs', '--tail', '20']);
      throw new KzbenchError('KZ_CLUSTER_NOT_HEALTHY', `the compose ${state.system} cluster was not healthy after ${Math.round(timeoutMs / 1000)} s:\n${logs.output.slice(-4000)}`);
    }
    await sleep(1000);
  }
}

/** `cluster down` of a compose cluster: `docker compose down` (with `-v` unless keep). */
export async function stopComposeCluster(state: ComposeClusterState, dir: string, opts: { keep?: boolean } = {}): Promise<void> {
  await composeOrThrow(state, opts.keep ? ['stop'] : ['down', '-v']);
  if (!opts.keep) {
    await rm(join(dir, stateFileName), { force: true });
    await rm(join(dir, targetFileName), { force: true });
  }
}

/** Per-node fault operations of a compose cluster, by service name. */
export async function composeNodeOperation(state: ComposeClusterState, id: number, op: 'stop' | 'kill' | 'pause' | 'resume' | 'start' | 'restart'): Promise<void> {
  const node = state.nodes.find((n) => n.id === id);
  if (!node) throw new UsageError('KZ_NODE_UNKNOWN', `no node ${id} in the compose cluster`);
  const args = { stop: ['stop'], kill: ['kill', '-s', 'SIGKILL'], pause: ['pause'], resume: ['unpause'], start: ['start'], restart: ['restart'] }[op];
  await composeOrThrow(state, [...args, node.service]);
}
