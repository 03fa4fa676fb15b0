import { resolve } from 'node:path';
import type { Logger } from '../../common/logger.js';
import type { ApacheSystem } from './apache-versions.js';
import type { ClusterImpl, LauncherKind } from './cluster-spec.js';
import { readClusterState } from './cluster-state.js';
import { startComposeCluster, stopComposeCluster } from './compose-launcher.js';
import { defaultClusterDir, LocalCluster, type LocalClusterSpec } from './local-cluster.js';
import type { Target } from './target.js';

export interface ClusterRequest {
  system: ApacheSystem;
  impl: ClusterImpl;
  /** Apache: exact version, line alias (`3.9`, `4`) or `debian`; undefined = pinned default. */
  version?: string;
  nodes: number;
  /** Defaults to `.kzbench/clusters/<system>` under the working directory. */
  dir?: string;
  launcher?: LauncherKind;
  adminServer?: boolean;
  /** ZooKeeper, local launcher: extra zoo.cfg keys (see LocalClusterSpec). */
  zooCfg?: Record<string, string>;
  readyTimeoutMs?: number;
  log?: Logger;
  /** Fault injection, local launcher: see LocalClusterSpec.nodeHosts / wrapNodeCommand. */
  nodeHosts?: readonly string[];
  wrapNodeCommand?: LocalClusterSpec['wrapNodeCommand'];
}

/** A healthy cluster, whichever launcher started it. */
export interface RunningCluster {
  target: Target;
  dir: string;
  /** Set for `local` clusters: per-node stop/kill/pause/resume/restart. */
  local?: LocalCluster;
  stop(opts?: { keep?: boolean }): Promise<void>;
}

/**
 * Starts a cluster and waits until it is healthy: what `kzbench cluster up` does, for code
 * (tests, `run`, `bench`) that starts its own targets.
 */
export async function startCluster(req: ClusterRequest): Promise<RunningCluster> {
  const dir = resolve(req.dir ?? defaultClusterDir(req.system));
  if (req.launcher === 'compose') {
    const target = await startComposeCluster({ ...req, dir });
    return { target, dir, stop: (opts) => stopClusterIn(dir, opts) };
  }
  const local = await LocalCluster.start({ ...req, dir });
  return { target: local.target, dir, local, stop: (opts) => local.stop(opts) };
}

/** `kzbench cluster down --dir`: stops whatever cluster `dir` records, local or compose. */
export async function stopClusterIn(dir: string, opts: { keep?: boolean; log?: Logger } = {}): Promise<void> {
  const state = await readClusterState(dir);
  if (state?.launcher === 'compose') {
    await stopComposeCluster(state, dir, opts);
    return;
  }
  // Reports KZ_CLUSTER_NOT_FOUND when there is nothing in `dir`.
  await (await LocalCluster.open(dir, opts.log)).stop(opts);
}

