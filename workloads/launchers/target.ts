import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { UsageError } from '../../common/errors.js';

/**
 * `target.json` (DESIGN.md "Formats"): where a system under test lives. Written by
 * `kzbench cluster up`, read by `run`, `bench` and `conformance`; a user can write one by hand
 * for an external cluster.
 */
export const TargetNodeSchema = z.object({
  id: z.number().int(),
  host: z.string(),
  port: z.number().int().min(1).max(65535),
  /** ZooKeeper quorum/election ports, Kafka controller port. */
  peerPorts: z.array(z.number().int()).optional(),
  adminPort: z.number().int().optional(),
  pid: z.number().int().optional(),
  dataDir: z.string().optional(),
});

export const TargetSchema = z.object({
  system: z.enum(['zookeeper', 'kafka']),
  impl: z.string(),
  version: z.string(),
  launcher: z.enum(['local', 'compose', 'external', 'embedded']),
  nodes: z.array(TargetNodeSchema).min(1),
});

export type TargetNode = z.infer<typeof TargetNodeSchema>;
export type Target = z.infer<typeof TargetSchema>;

export async function readTarget(file: string): Promise<Target> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new UsageError('KZ_TARGET_UNREADABLE', `cannot read target file ${file}: ${(err as Error).message}`, { cause: err });
  }
  const parsed = TargetSchema.safeParse(raw);
  if (!parsed.success) {
    throw new UsageError('KZ_TARGET_INVALID', `${file} is not a valid target.json: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

export async function writeTarget(file: string, target: Target): Promise<void> {
  await writeFile(file, JSON.stringify(TargetSchema.parse(target), null, 2) + '\n');
}

/** `host:port,host:port` as ZooKeeper connect strings and Kafka bootstrap lists want it. */
export function connectString(target: Target): string {
  return target.nodes.map((n) => `${n.host}:${n.port}`).join(',');
}
