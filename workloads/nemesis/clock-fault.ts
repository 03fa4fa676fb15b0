import { nodeLabel } from './nemesis-cluster.js';
import { pickNodes, pickOne, type Fault, type FaultContext, type FaultInstance, type NodeTarget } from './fault.js';
import { writeClockOffset } from './clock-skew.js';

/**
 * Jepsen's clock bump: the chosen nodes' wall clocks jump by a random offset in
 * [-maxSkew, +maxSkew] (each its own), and are set right at the heal. See clock-skew.ts for
 * how the nodes are made to follow their offset files.
 */
export class ClockFault implements Fault {
  readonly name = 'clock';

  constructor(
    private readonly ctx: FaultContext,
    /** Node id → its offset file. */
    private readonly offsetFiles: ReadonlyMap<number, string>,
    private readonly maxSkewMs: number,
    private readonly targets: readonly NodeTarget[] = ['one', 'majority', 'all'],
  ) {}

  async start(): Promise<FaultInstance> {
    const target = pickOne(this.targets, this.ctx.random);
    const nodes = await pickNodes(target, this.ctx);
    const offsets: Record<string, number> = {};
    for (const id of nodes) {
      // At least a second either way: libfaketime offsets are whole seconds.
      const magnitude = Math.max(1000, Math.round(this.ctx.random() * this.maxSkewMs));
      const ms = this.ctx.random() < 0.5 ? -magnitude : magnitude;
      writeClockOffset(this.offsetFiles.get(id)!, ms);
      offsets[nodeLabel(id)] = Math.round(ms / 1000) * 1000;
    }
    return {
      nodes: nodes.map(nodeLabel),
      detail: { target, offsetsMs: offsets, description: Object.entries(offsets).map(([n, ms]) => `${n} ${ms >= 0 ? '+' : ''}${ms / 1000}s`).join(' ') },
      heal: async () => {
        for (const id of nodes) writeClockOffset(this.offsetFiles.get(id)!, 0);
        return { reset: nodes.map(nodeLabel) };
      },
    };
  }

  async healAll(): Promise<void> {
    for (const file of this.offsetFiles.values()) writeClockOffset(file, 0);
  }
}
