import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { UsageError } from '../../common/errors.js';
import type { Target } from './target.js';

/**
 * `D/cluster.json`: everything `cluster down` and the per-node operations need, in another
 * process than the one that ran `cluster up` — each node's pid and how to start it again.
 */
export const stateFileName = 'cluster.json';
export const targetFileName = 'target.json';

const NodeCommandSchema = z.object({
  command: z.string(),
  args: z.array(z.string()),
  cwd: z.string(),
  env: z.record(z.string(), z.string()).optional(),
  logFile: z.string(),
  marker: z.string(),
});

export const ClusterNodeStateSchema = z.object({
  id: z.number().int(),
  host: z.string(),
  port: z.number().int(),
  peerPorts: z.array(z.number().int()),
  adminPort: z.number().int().optional(),
  /** Holds the node's config, data and log. */
  nodeDir: z.string(),
  dataDir: z.string(),
  configFile: z.string(),
  start: NodeCommandSchema,
  /** Null while the node is stopped. */
  pid: z.number().int().nullable(),
});

const commonFields = {
  format: z.literal(1),
  system: z.enum(['zookeeper', 'kafka']),
  impl: z.enum(['apache', 'reference']),
  version: z.string(),
  createdAt: z.string(),
};

export const LocalClusterStateSchema = z.object({
  ...commonFields,
  launcher: z.literal('local'),
  nodes: z.array(ClusterNodeStateSchema).min(1),
});

/** A node of a compose project: reached through a published loopback port. */
export const ComposeNodeStateSchema = z.object({
  id: z.number().int(),
  host: z.string(),
  port: z.number().int(),
  service: z.string(),
});

export const ComposeClusterStateSchema = z.object({
  ...commonFields,
  launcher: z.literal('compose'),
  nodes: z.array(ComposeNodeStateSchema).min(1),
  /** How to reach the project again: `docker compose -p project -f file` with env. */
  compose: z.object({ file: z.string(), project: z.string(), env: z.record(z.string(), z.string()) }),
});

export const ClusterStateSchema = z.discriminatedUnion('launcher', [LocalClusterStateSchema, ComposeClusterStateSchema]);

export type ClusterNodeState = z.infer<typeof ClusterNodeStateSchema>;
export type LocalClusterState = z.infer<typeof LocalClusterStateSchema>;
export type ComposeNodeState = z.infer<typeof ComposeNodeStateSchema>;
export type ComposeClusterState = z.infer<typeof ComposeClusterStateSchema>;
export type ClusterState = z.infer<typeof ClusterStateSchema>;

export async function readClusterState(dir: string): Promise<ClusterState | null> {
  let text: string;
  try {
    text = await readFile(join(dir, stateFileName), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const parsed = ClusterStateSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new UsageError('KZ_CLUSTER_STATE_INVALID', `${join(dir, stateFileName)} is not a kzbench cluster state file: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

/** Written to a temporary file and renamed, so a reader never sees half of it. */
export async function writeClusterState(dir: string, state: ClusterState): Promise<void> {
  const file = join(dir, stateFileName);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(ClusterStateSchema.parse(state), null, 2) + '\n');
  await rename(tmp, file);
}

/** The `target.json` view of a cluster: what workloads need to reach it. */
export function targetOf(state: ClusterState): Target {
  const nodes =
    state.launcher === 'compose'
      ? state.nodes.map((n) => ({ id: n.id, host: n.host, port: n.port }))
      : state.nodes.map((n) => ({
          id: n.id,
          host: n.host,
          port: n.port,
          peerPorts: n.peerPorts,
          ...(n.adminPort !== undefined ? { adminPort: n.adminPort } : {}),
          ...(n.pid !== null ? { pid: n.pid } : {}),
          dataDir: n.dataDir,
        }));
  return { system: state.system, impl: state.impl, version: state.version, launcher: state.launcher, nodes };
}
