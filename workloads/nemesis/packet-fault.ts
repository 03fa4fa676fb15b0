import { UsageError } from '../../common/errors.js';
import { nodeLabel } from './nemesis-cluster.js';
import { pickNodes, pickOne, type Fault, type FaultContext, type FaultInstance, type NodeTarget } from './fault.js';
import type { ProxyNetwork } from './proxy-network.js';
import { describeToxic, type Toxic } from './toxics.js';

/** The packet behaviours `--nemesis packet:<behaviour>` names, with Jepsen-like defaults. */
export const packetBehaviours = {
  latency: { type: 'latency', latencyMs: 100, jitterMs: 50 },
  loss: { type: 'loss', probability: 0.2, retransmitMs: 200 },
  bandwidth: { type: 'bandwidth', bytesPerSecond: 16 * 1024 },
  stall: { type: 'stall' },
  reset: { type: 'reset', afterMs: 0 },
} as const satisfies Record<string, Toxic>;

export type PacketBehaviour = keyof typeof packetBehaviours;

export function parsePacketBehaviour(value: string): PacketBehaviour {
  if (value in packetBehaviours) return value as PacketBehaviour;
  throw new UsageError('KZ_NEMESIS_PACKET', `unknown packet behaviour '${value}'; choose from ${Object.keys(packetBehaviours).join(', ')}`);
}

/**
 * Degrades the traffic between the clients and some nodes through the fault proxies
 * (delay, loss, bandwidth, stall, reset), in the manner of Jepsen's `packet` faults, which
 * it cannot do with netem here (the kernel lacks sch_netem).
 */
export class PacketFault implements Fault {
  readonly name = 'packet';

  constructor(
    private readonly ctx: FaultContext,
    private readonly proxies: ProxyNetwork,
    private readonly behaviours: readonly PacketBehaviour[],
    private readonly targets: readonly NodeTarget[],
  ) {}

  async start(): Promise<FaultInstance> {
    const behaviour = pickOne(this.behaviours, this.ctx.random);
    const target = pickOne(this.targets, this.ctx.random);
    const nodes = await pickNodes(target, this.ctx);
    const toxic: Toxic = packetBehaviours[behaviour];
    const remove = this.proxies.addToxic(nodes, toxic, 'both');
    return {
      nodes: nodes.map(nodeLabel),
      detail: { behaviour, toxic: describeToxic(toxic), target, nodes: nodes.map(nodeLabel) },
      heal: async () => {
        remove();
        return { healed: behaviour };
      },
    };
  }

  async healAll(): Promise<void> {
    this.proxies.clearToxics();
  }
}
