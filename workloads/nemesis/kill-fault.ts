import { nodeLabel } from './nemesis-cluster.js';
import { pickNodes, pickOne, type Fault, type FaultContext, type FaultInstance, type NodeTarget } from './fault.js';

/**
 * Crashes nodes with SIGKILL and starts them again at the heal (Jepsen's `kill` / `start`).
 * Data stays on disk: a crash, not a wipe.
 */
export class KillFault implements Fault {
  readonly name = 'kill';

  constructor(
    private readonly ctx: FaultContext,
    private readonly targets: readonly NodeTarget[],
  ) {}

  async start(): Promise<FaultInstance> {
    const { cluster } = this.ctx;
    const running = cluster.nodeIds.filter((id) => cluster.state(id) !== 'stopped');
    const target = pickOne(this.targets, this.ctx.random);
    const victims = await pickNodes(target, this.ctx, running);
    for (const id of victims) {
      // A paused process cannot act on SIGKILL any differently, but resume keeps state simple.
      await cluster.kill(id);
    }
    return {
      nodes: victims.map(nodeLabel),
      detail: { target, nodes: victims.map(nodeLabel) },
      heal: async () => {
        for (const id of victims) if (cluster.state(id) === 'stopped') await cluster.start(id);
        return { started: victims.map(nodeLabel) };
      },
    };
  }

  async healAll(): Promise<void> {
    const { cluster } = this.ctx;
    for (const id of cluster.nodeIds) if (cluster.state(id) === 'stopped') await cluster.start(id);
  }
}
