import type { LocalCluster } from '../launchers/local-cluster.js';
import { describeKafkaCluster } from '../launchers/kafka-health.js';
import { zookeeperMode } from '../launchers/zookeeper-health.js';

export type NodeState = 'running' | 'paused' | 'stopped';

/**
 * What the nemesis needs from a cluster: per-node process control and who leads. The local
 * launcher provides it (`nemesisClusterOf`); tests may provide their own processes.
 */
export interface NemesisCluster {
  readonly system: 'zookeeper' | 'kafka';
  readonly nodeIds: readonly number[];
  /** SIGKILL: a crash; data stays. */
  kill(id: number): Promise<void>;
  /** Starts a stopped node again; returns once it is spawned (it may take a while to serve). */
  start(id: number): Promise<void>;
  /** SIGSTOP; resolves when the kernel shows the process stopped. */
  pause(id: number): Promise<void>;
  /** SIGCONT. */
  resume(id: number): Promise<void>;
  state(id: number): NodeState;
  /** The process id while running or paused. */
  pid(id: number): number | null;
  /** ZooKeeper: the quorum leader; Kafka: the active controller; null when none answers. */
  leader(): Promise<number | null>;
  /** Where a node keeps its data (disk faults). */
  dataDir(id: number): string | undefined;
  /** Waits until every node serves again (after the final heal). */
  waitHealthy(timeoutMs: number): Promise<void>;
}

/** Node label used in history ops and report bands, as Jepsen names nodes. */
export function nodeLabel(id: number): string {
  return `n${id}`;
}

/** The local launcher's cluster as the nemesis drives it. */
export function nemesisClusterOf(local: LocalCluster): NemesisCluster {
  return {
    system: local.system,
    nodeIds: local.nodeIds,
    kill: (id) => local.killNode(id),
    start: (id) => local.startNode(id, { wait: false }),
    pause: (id) => local.pauseNode(id),
    resume: (id) => local.resumeNode(id),
    state: (id) => local.status(id),
    pid: (id) => local.pidOf(id),
    leader: async () => {
      const nodes = local.target.nodes;
      if (local.system === 'zookeeper') {
        // A paused or cut-off node may still claim leadership; ask every running one.
        for (const n of nodes) {
          if (local.status(n.id) !== 'running') continue;
          const mode = await zookeeperMode(n.host, n.port);
          if (mode === 'leader' || mode === 'standalone') return n.id;
        }
        return null;
      }
      const view = await describeKafkaCluster(nodes.filter((n) => local.status(n.id) === 'running').map((n) => `${n.host}:${n.port}`));
      return view?.controllerId ?? null;
    },
    dataDir: (id) => local.target.nodes.find((n) => n.id === id)?.dataDir,
    waitHealthy: (timeoutMs) => local.waitHealthy(timeoutMs),
  };
}
