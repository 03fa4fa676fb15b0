import { nodeLabel } from './nemesis-cluster.js';
import { pickOne, type Fault, type FaultContext, type FaultInstance } from './fault.js';
import type { IptablesPartitioner } from './iptables-partitioner.js';
import { bridge, describeGrudge, grudgeToJson, mostIsolatedNodes, isolateNode, majoritiesRing, randomHalves, type Grudge, type PartitionShape } from './partition-grudge.js';

/**
 * Cuts the cluster's peer network into pieces (Jepsen's `start-partition` / `stop-partition`)
 * with iptables rules inside the nodes' namespaces; each instance draws one of the configured
 * shapes. Healing removes every rule.
 */
export class PartitionFault implements Fault {
  readonly name = 'partition';

  constructor(
    private readonly ctx: FaultContext,
    private readonly partitioner: IptablesPartitioner,
    private readonly shapes: readonly PartitionShape[],
  ) {}

  async start(): Promise<FaultInstance> {
    const shape = pickOne(this.shapes, this.ctx.random);
    const grudge = await this.grudgeFor(shape);
    await this.partitioner.apply(grudge);
    return {
      nodes: mostIsolatedNodes(grudge).map(nodeLabel),
      detail: { shape, grudge: grudgeToJson(grudge), description: describeGrudge(grudge) },
      heal: async () => {
        await this.partitioner.heal();
        return { healed: true };
      },
    };
  }

  healAll(): Promise<void> {
    return this.partitioner.heal();
  }

  private async grudgeFor(shape: PartitionShape): Promise<Grudge> {
    const nodes = [...this.ctx.cluster.nodeIds];
    switch (shape) {
      case 'random-halves':
        return randomHalves(nodes, this.ctx.random);
      case 'isolate-one':
        return isolateNode(nodes, pickOne(nodes, this.ctx.random));
      case 'isolate-leader': {
        const leader = await this.ctx.cluster.leader().catch(() => null);
        return isolateNode(nodes, leader ?? pickOne(nodes, this.ctx.random));
      }
      case 'majorities-ring':
        return majoritiesRing(nodes, this.ctx.random);
      case 'bridge':
        return bridge(nodes, this.ctx.random);
    }
  }
}
