import { UsageError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import { shuffled } from './partition-grudge.js';
import type { NemesisCluster } from './nemesis-cluster.js';

/**
 * One kind of fault the nemesis can inflict (kill, pause, partition, ...). `start` puts one
 * instance in force and says how to undo it; `healAll` undoes anything the fault may have
 * left, whether or not an instance is known (the final heal, and cleanup after errors).
 */
export interface Fault {
  /** As history ops and report bands name it: `start-<name>` / `stop-<name>`. */
  readonly name: string;
  start(): Promise<FaultInstance>;
  healAll(): Promise<void>;
}

/** A fault in force. */
export interface FaultInstance {
  /** Affected nodes, as labels (`n1`). */
  nodes: string[];
  /** Recorded as the value of the `start-<fault>` history op. */
  detail: unknown;
  /** Undoes this instance; the result is recorded as the value of `stop-<fault>`. */
  heal(): Promise<unknown>;
}

/** Jepsen's node specs: which nodes a process fault hits. `leader` is Jepsen's `primaries`. */
export const nodeTargets = ['one', 'minority', 'majority', 'all', 'leader'] as const;
export type NodeTarget = (typeof nodeTargets)[number];

export function parseNodeTarget(value: string): NodeTarget {
  if ((nodeTargets as readonly string[]).includes(value)) return value as NodeTarget;
  throw new UsageError('KZ_NEMESIS_TARGET', `unknown node target '${value}'; choose from ${nodeTargets.join(', ')}`);
}

export interface FaultContext {
  cluster: NemesisCluster;
  random: () => number;
  log: Logger;
}

/** The nodes a target names right now; the leader is asked for (falls back to one node). */
export async function pickNodes(target: NodeTarget, ctx: FaultContext, among: readonly number[] = ctx.cluster.nodeIds): Promise<number[]> {
  const order = shuffled(among, ctx.random);
  const n = ctx.cluster.nodeIds.length;
  const majority = Math.floor(n / 2) + 1;
  switch (target) {
    case 'one':
      return order.slice(0, 1);
    case 'minority':
      return order.slice(0, Math.max(1, majority - 1));
    case 'majority':
      return order.slice(0, Math.min(order.length, majority));
    case 'all':
      return order;
    case 'leader': {
      const leader = await ctx.cluster.leader().catch(() => null);
      if (leader !== null && among.includes(leader)) return [leader];
      ctx.log.debug('no leader answered; the fault hits one node instead');
      return order.slice(0, 1);
    }
  }
}

/** A random element (the caller's random source keeps seeded runs repeatable). */
export function pickOne<T>(items: readonly T[], random: () => number): T {
  if (items.length === 0) throw new Error('pickOne of nothing');
  return items[Math.floor(random() * items.length)]!;
}
