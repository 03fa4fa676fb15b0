import { readFileSync } from 'node:fs';
import { readFile, mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { KzbenchError, UsageError } from '../../common/errors.js';
import { silentLogger, type Logger } from '../../common/logger.js';
import { resolveApache } from './apache-distribution.js';
import type { ApacheSystem } from './apache-versions.js';
import { provisionClusterFiles } from './cluster-provisioning.js';
import type { ClusterImpl } from './cluster-spec.js';
import { ClusterStateSchema, readClusterState, stateFileName, targetFileName, targetOf, writeClusterState, type ClusterNodeState, type LocalClusterState } from './cluster-state.js';
import { describeKafkaCluster, kafkaClusterHealthy } from './kafka-health.js';
import { isOurProcess, isPaused, kill, pause, resume, spawnDetached, terminate, type NodeCommand } from './node-process.js';
import { repoRoot } from './repo-paths.js';
import { writeTarget, type Target } from './target.js';
import { ensembleHealthy, zookeeperMode } from './zookeeper-health.js';

export interface LocalClusterSpec {
  system: ApacheSystem;
  impl: ClusterImpl;
  /** Apache version request (exact, line alias, `debian`); undefined = the pinned default. */
  version?: string;
  nodes: number;
  /** Defaults to `.kzbench/clusters/<system>` under the working directory. */
  dir?: string;
  host?: string;
  /** ZooKeeper only: run the AdminServer on a free port (off by default). */
  adminServer?: boolean;
  /** ZooKeeper only: extra zoo.cfg keys, written after the defaults (so they win); unknown keys become `zookeeper.<key>` system properties. */
  zooCfg?: Record<string, string>;
  /** Overrides the JVM heap flags of Apache nodes, e.g. `['-Xmx1g']`. */
  heap?: string[];
  /** How long to wait for the cluster to become healthy (default 180 s). */
  readyTimeoutMs?: number;
  log?: Logger;
  /**
   * Fault injection (workloads/nemesis): each node's own address, index = node id - 1 (nodes in
   * a network sandbox); `host` is then only where free ports are probed.
   */
  nodeHosts?: readonly string[];
  /**
   * Fault injection (workloads/nemesis): rewrites a node's start command (run it inside a
   * network namespace, add environment); recorded, so restarts use it too.
   */
  wrapNodeCommand?: (id: number, cmd: NodeCommand) => NodeCommand;
}

export type NodeStatus = 'running' | 'paused' | 'stopped';

/** `.kzbench/clusters/<system>` under the working directory. */
export function defaultClusterDir(system: ApacheSystem): string {
  return resolve('.kzbench', 'clusters', system);
}

const defaultReadyTimeoutMs = 180_000;

async function logTail(file: string, lines = 25): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * A cluster of detached server processes on loopback, described by `D/cluster.json`. The same
 * object works in the process that started the cluster and in any later one
 * (`LocalCluster.open(dir)`): every operation goes through the recorded pids.
 */
export class LocalCluster {
  private constructor(
    readonly dir: string,
    private cached: LocalClusterState,
    private readonly log: Logger,
  ) {}

  /**
   * The recorded state, re-read from `cluster.json` each time: another handle (or another
   * process) may have restarted a node, and its new pid is only there.
   */
  private get state(): LocalClusterState {
    try {
      const parsed = ClusterStateSchema.safeParse(JSON.parse(readFileSync(join(this.dir, stateFileName), 'utf8')));
      if (parsed.success && parsed.data.launcher === 'local') this.cached = parsed.data;
    } catch {
      // Not written yet (during start) or already removed (after stop): the last copy stands.
    }
    return this.cached;
  }

  /** Attaches to the cluster a `cluster up` left in `dir`. */
  static async open(dir: string, log: Logger = silentLogger): Promise<LocalCluster> {
    const abs = resolve(dir);
    const state = await readClusterState(abs);
    if (!state) throw new UsageError('KZ_CLUSTER_NOT_FOUND', `no cluster in ${abs} (no ${stateFileName}); start one with kzbench cluster up`);
    if (state.launcher === 'compose') throw new UsageError('KZ_CLUSTER_NOT_LOCAL', `the cluster in ${abs} was started by the ${state.launcher} launcher`);
    return new LocalCluster(abs, state, log);
  }

  /** Starts a cluster, waits until it is healthy and writes `D/target.json`. */
  static async start(spec: LocalClusterSpec): Promise<LocalCluster> {
    const log = spec.log ?? silentLogger;
    const dir = resolve(spec.dir ?? defaultClusterDir(spec.system));
    await mkdir(dir, { recursive: true });
    await LocalCluster.clearStale(dir, log);
    const distribution = spec.impl === 'apache' ? await resolveApache(spec.system, spec.version, { log }) : undefined;
    const nodes = await provisionClusterFiles({
      system: spec.system,
      impl: spec.impl,
      distribution,
      nodes: spec.nodes,
      dir,
      host: spec.host ?? '127.0.0.1',
      adminServer: spec.adminServer ?? false,
      zooCfg: spec.zooCfg,
      heap: spec.heap,
      nodeHosts: spec.nodeHosts,
    });
    if (spec.wrapNodeCommand) for (const n of nodes) n.start = spec.wrapNodeCommand(n.id, n.start);
    const state: LocalClusterState = {
      format: 1,
      system: spec.system,
      impl: spec.impl,
      version: distribution?.version ?? (await packageVersion()),
      launcher: 'local',
      createdAt: new Date().toISOString(),
      nodes,
    };
    const cluster = new LocalCluster(dir, state, log);
    log.info(`starting ${spec.impl} ${spec.system} ${state.version} with ${spec.nodes} node(s) in ${dir}`);
    try {
      for (const node of state.nodes) node.pid = spawnDetached(node.start);
      // Recorded before waiting, so an interrupted `up` can still be taken down.
      await writeClusterState(dir, state);
      await cluster.waitHealthy(spec.readyTimeoutMs ?? defaultReadyTimeoutMs);
    } catch (err) {
      await cluster.abandon().catch(() => {});
      throw err;
    }
    await writeTarget(join(dir, targetFileName), cluster.target);
    log.info(`${spec.system} is healthy: ${cluster.connectString}`);
    return cluster;
  }

  /** Refuses a directory whose cluster still runs; forgets one whose processes are all gone. */
  private static async clearStale(dir: string, log: Logger): Promise<void> {
    const old = await readClusterState(dir).catch(() => null);
    if (!old) return;
    if (old.launcher === 'compose') {
      throw new UsageError('KZ_CLUSTER_RUNNING', `${dir} holds a compose cluster (project ${old.compose.project}): run kzbench cluster down --dir ${dir} first`);
    }
    const alive = old.nodes.filter((n) => n.pid !== null && isOurProcess(n.pid, n.start.marker));
    if (alive.length > 0) {
      throw new UsageError(
        'KZ_CLUSTER_RUNNING',
        `a ${old.system} cluster is still running in ${dir} (pids ${alive.map((n) => n.pid).join(', ')}): run kzbench cluster down --dir ${dir} first, or use another --dir`,
      );
    }
    log.info(`removing the stopped cluster left in ${dir}`);
    for (const n of old.nodes) await rm(n.dataDir, { recursive: true, force: true });
    await rm(join(dir, stateFileName), { force: true });
  }

  get system(): ApacheSystem {
    return this.state.system;
  }

  get target(): Target {
    return targetOf(this.state);
  }

  /** `host:port,...` for ZooKeeper connect strings and Kafka bootstrap lists. */
  get connectString(): string {
    return this.state.nodes.map((n) => `${n.host}:${n.port}`).join(',');
  }

  get nodeIds(): number[] {
    return this.state.nodes.map((n) => n.id);
  }

  private node(id: number, state: LocalClusterState = this.state): ClusterNodeState {
    const node = state.nodes.find((n) => n.id === id);
    if (!node) throw new UsageError('KZ_NODE_UNKNOWN', `no node ${id} in ${this.dir} (nodes: ${this.nodeIds.join(', ')})`);
    return node;
  }

  pidOf(id: number): number | null {
    const node = this.node(id);
    return node.pid !== null && isOurProcess(node.pid, node.start.marker) ? node.pid : null;
  }

  status(id: number): NodeStatus {
    const pid = this.pidOf(id);
    if (pid === null) return 'stopped';
    return isPaused(pid) ? 'paused' : 'running';
  }

  private async persist(state: LocalClusterState): Promise<void> {
    this.cached = state;
    await writeClusterState(this.dir, state);
    await writeTarget(join(this.dir, targetFileName), targetOf(state));
  }

  /** SIGTERM, then SIGKILL after `graceMs`; data is kept. */
  async stopNode(id: number, graceMs = 20_000): Promise<void> {
    const state = this.state;
    const node = this.node(id, state);
    if (node.pid !== null) await terminate(node.pid, node.start.marker, graceMs);
    node.pid = null;
    await this.persist(state);
  }

  /** SIGKILL: a crash. Data is kept, so `startNode` recovers from it. */
  async killNode(id: number): Promise<void> {
    const state = this.state;
    const node = this.node(id, state);
    if (node.pid !== null) await kill(node.pid, node.start.marker);
    node.pid = null;
    await this.persist(state);
  }

  /**
   * SIGSTOP: the process stays, its sockets stay open, it answers nothing. Resolves once the
   * kernel shows it stopped (signal delivery is asynchronous).
   */
  async pauseNode(id: number): Promise<void> {
    const pid = this.pidOf(id);
    if (pid === null) throw new UsageError('KZ_NODE_NOT_RUNNING', `node ${id} is not running`);
    pause(pid, this.node(id).start.marker);
    await waitUntil(() => isPaused(pid) || !isOurProcess(pid, this.node(id).start.marker), 10_000);
  }

  /** SIGCONT; resolves once the process runs again. */
  async resumeNode(id: number): Promise<void> {
    const pid = this.pidOf(id);
    if (pid === null) throw new UsageError('KZ_NODE_NOT_RUNNING', `node ${id} is not running`);
    resume(pid, this.node(id).start.marker);
    await waitUntil(() => !isPaused(pid), 10_000);
  }

  /**
   * Starts a stopped node again with its old config and data, and (unless `wait: false`) waits
   * until it serves. A lone ZooKeeper member cannot serve without a quorum: to bring back a
   * whole stopped ensemble use `startStopped()`.
   */
  async startNode(id: number, opts: { readyTimeoutMs?: number; wait?: boolean } = {}): Promise<void> {
    const state = this.state;
    const node = this.node(id, state);
    if (this.pidOf(id) !== null) throw new UsageError('KZ_NODE_RUNNING', `node ${id} is already running (pid ${node.pid})`);
    node.pid = spawnDetached(node.start);
    await this.persist(state);
    if (opts.wait !== false) await this.waitNodeServing(id, opts.readyTimeoutMs);
  }

  /** Starts every stopped node (after `stop({ keep: true })`) and waits until the cluster is healthy. */
  async startStopped(readyTimeoutMs = defaultReadyTimeoutMs): Promise<void> {
    for (const id of this.nodeIds) {
      if (this.pidOf(id) === null) await this.startNode(id, { wait: false });
    }
    await this.waitHealthy(readyTimeoutMs);
  }

  /** Stop (or, with `kill`, SIGKILL) then start again. */
  async restartNode(id: number, opts: { kill?: boolean; readyTimeoutMs?: number } = {}): Promise<void> {
    if (opts.kill) await this.killNode(id);
    else await this.stopNode(id);
    await this.startNode(id, { readyTimeoutMs: opts.readyTimeoutMs });
  }

  private async terminateAll(state: LocalClusterState, graceMs: number): Promise<void> {
    await Promise.all(
      state.nodes.map(async (n) => {
        if (n.pid !== null) await terminate(n.pid, n.start.marker, graceMs);
        n.pid = null;
      }),
    );
    this.cached = state;
  }

  /**
   * Stops every node (SIGTERM, SIGKILL after a grace period) and waits for them to exit; then,
   * unless `keep`, removes their data, `cluster.json` and `target.json` (logs and configs stay).
   */
  async stop(opts: { keep?: boolean; graceMs?: number } = {}): Promise<void> {
    const state = this.state;
    await this.terminateAll(state, opts.graceMs ?? 20_000);
    if (opts.keep) {
      await this.persist(state);
      return;
    }
    for (const n of state.nodes) await rm(n.dataDir, { recursive: true, force: true });
    await rm(join(this.dir, stateFileName), { force: true });
    await rm(join(this.dir, targetFileName), { force: true });
    this.log.info(`stopped the ${state.system} cluster in ${this.dir} and removed its data`);
  }

  /** A start that failed: stop what runs, forget the cluster, keep the logs to read. */
  private async abandon(): Promise<void> {
    await this.terminateAll(this.state, 5_000);
    await rm(join(this.dir, stateFileName), { force: true });
  }

  /** Waits until the whole cluster is healthy; fails fast, with its log, when a node exits. */
  async waitHealthy(timeoutMs = defaultReadyTimeoutMs): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.failIfAnyExited();
      if (await this.healthy()) return;
      if (Date.now() > deadline) {
        throw new KzbenchError(
          'KZ_CLUSTER_NOT_HEALTHY',
          `the ${this.state.system} cluster in ${this.dir} was not healthy after ${Math.round(timeoutMs / 1000)} s; last log lines:\n${await this.logTails()}`,
        );
      }
      await sleep(500);
    }
  }

  /** ZooKeeper: every node serves with one leader (or standalone). Kafka: Metadata lists every broker and a controller. */
  async healthy(): Promise<boolean> {
    if (this.state.system === 'zookeeper') {
      const modes = await Promise.all(this.state.nodes.map((n) => zookeeperMode(n.host, n.port)));
      return ensembleHealthy(modes);
    }
    const view = await describeKafkaCluster(this.state.nodes.map((n) => `${n.host}:${n.port}`));
    return kafkaClusterHealthy(view, this.nodeIds);
  }

  /** Waits until one node serves clients again (after a restart). */
  async waitNodeServing(id: number, timeoutMs = defaultReadyTimeoutMs): Promise<void> {
    const node = this.node(id);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.pidOf(id) === null) {
        throw new KzbenchError('KZ_NODE_EXITED', `node ${id} exited while starting; last log lines:\n${await logTail(node.start.logFile)}`);
      }
      if (await this.nodeServing(node)) return;
      if (Date.now() > deadline) {
        throw new KzbenchError('KZ_NODE_NOT_HEALTHY', `node ${id} did not serve within ${Math.round(timeoutMs / 1000)} s; last log lines:\n${await logTail(node.start.logFile)}`);
      }
      await sleep(500);
    }
  }

  private async nodeServing(node: ClusterNodeState): Promise<boolean> {
    if (this.state.system === 'zookeeper') return (await zookeeperMode(node.host, node.port)) !== null;
    const view = await describeKafkaCluster([`${node.host}:${node.port}`]);
    return view !== null && view.brokerIds.includes(node.id);
  }

  private async failIfAnyExited(): Promise<void> {
    const dead = this.state.nodes.find((n) => n.pid === null || !isOurProcess(n.pid, n.start.marker));
    if (!dead) return;
    throw new KzbenchError(
      'KZ_NODE_EXITED',
      `node ${dead.id} of the ${this.state.system} cluster exited while starting; last lines of ${dead.start.logFile}:\n${await logTail(dead.start.logFile)}`,
    );
  }

  private async logTails(): Promise<string> {
    const parts: string[] = [];
    for (const n of this.state.nodes) parts.push(`--- node ${n.id} (${n.start.logFile})\n${await logTail(n.start.logFile, 10)}`);
    return parts.join('\n');
  }
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new KzbenchError('KZ_NODE_SIGNAL_TIMEOUT', `a node did not change state within ${timeoutMs} ms of the signal`);
    await sleep(10);
  }
}

async function packageVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(join(repoRoot(), 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}
