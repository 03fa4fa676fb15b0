import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../common/errors.js';
import { silentLogger, type Logger } from '../../common/logger.js';
import { startCluster } from '../launchers/cluster-launcher.js';
import type { LocalCluster } from '../launchers/local-cluster.js';
import type { ClusterFaultHooks } from '../nemesis/run-faults.js';
import { parseImpl, type ImplChoice } from '../launchers/cluster-spec.js';
import { readTarget, type Target } from '../launchers/target.js';
import type { WorkloadSystem } from '../registry.js';

/** The system under test for one run, and how to let it go afterwards. */
export interface RunTarget {
  target: Target;
  /** True when this run started the target and stops it at the end (nothing on it needs cleaning). */
  disposable: boolean;
  /** The started cluster, for per-node faults (kill, pause); absent for a given target.json. */
  local?: LocalCluster;
  /** Stops what the run started (a no-op for a target.json it was given). */
  stop(): Promise<void>;
}

export interface StartTargetOptions {
  system: WorkloadSystem;
  nodes: number;
  log?: Logger;
  /** ZooKeeper: run the AdminServer on a free port. */
  adminServer?: boolean;
  readyTimeoutMs?: number;
  /** Where faults need the nodes (network namespaces) and what they add to their commands. */
  faultHooks?: ClusterFaultHooks;
}

/** `reference`, `apache`, `apache:3.9.2` start a cluster; anything else is a target.json path. */
export function isStartableTarget(spec: string): boolean {
  return spec === 'reference' || spec === 'apache' || spec.startsWith('apache:');
}

/**
 * Resolves `--target`: a target.json (used as is; its system must match the workload's), or
 * an implementation to start on loopback with the launcher, stopped again by `stop()`.
 */
export async function resolveRunTarget(spec: string, opts: StartTargetOptions): Promise<RunTarget> {
  if (isStartableTarget(spec)) return startRunTarget(parseImpl(spec), opts);
  const target = await readTarget(spec);
  if (target.system !== opts.system) {
    throw new UsageError('KZ_TARGET_SYSTEM_MISMATCH', `${spec} describes a ${target.system} target, but the workload needs ${opts.system}`);
  }
  return { target, disposable: false, stop: async () => {} };
}

/**
 * Starts `impl` with the launcher in a fresh temporary directory. `stop()` stops it and
 * removes the directory. If the start fails after a node wrote a log, the directory (with the
 * logs the error quotes) is left for inspection and named; if it failed before (no Java, no
 * jars), nothing worth keeping is there and it is removed.
 */
export async function startRunTarget(impl: ImplChoice, opts: StartTargetOptions): Promise<RunTarget> {
  const log = opts.log ?? silentLogger;
  const dir = await mkdtemp(join(tmpdir(), `kzbench-${opts.system}-${impl.impl}-`));
  let cluster;
  try {
    cluster = await startCluster({
      system: opts.system,
      impl: impl.impl,
      version: impl.version,
      nodes: opts.nodes,
      dir,
      adminServer: opts.adminServer,
      readyTimeoutMs: opts.readyTimeoutMs,
      log,
      ...opts.faultHooks,
    });
  } catch (err) {
    if (await hasNodeLogs(dir)) log.warn(`the ${impl.impl} ${opts.system} node logs are kept in ${dir}`);
    else await rm(dir, { recursive: true, force: true });
    throw err;
  }
  let stopped = false;
  return {
    target: cluster.target,
    disposable: true,
    ...(cluster.local ? { local: cluster.local } : {}),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await cluster.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Whether any node of a cluster directory wrote a log (`node<N>/*.log` with content). */
async function hasNodeLogs(dir: string): Promise<boolean> {
  const nodes = await readdir(dir).catch(() => [] as string[]);
  for (const node of nodes) {
    const files = await readdir(join(dir, node)).catch(() => [] as string[]);
    for (const f of files.filter((name) => name.endsWith('.log'))) {
      if ((await stat(join(dir, node, f)).catch(() => null))?.size) return true;
    }
  }
  return false;
}
