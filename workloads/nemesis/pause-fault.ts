import { nodeLabel } from './nemesis-cluster.js';
import { pickNodes, pickOne, type Fault, type FaultContext, type FaultInstance, type NodeTarget } from './fault.js';
import { guardPausedProcess, releasePausedProcess } from './paused-process-guard.js';

/**
 * Freezes nodes with SIGSTOP and thaws them with SIGCONT (Jepsen's `pause` / `resume`, the
 * "hammer time" of a long GC pause): sockets stay open, nothing is answered.
 */
export class PauseFault implements Fault {
  readonly name = 'pause';

  constructor(
    private readonly ctx: FaultContext,
    private readonly targets: readonly NodeTarget[],
  ) {}

  async start(): Promise<FaultInstance> {
    const { cluster } = this.ctx;
    const running = cluster.nodeIds.filter((id) => cluster.state(id) === 'running');
    const target = pickOne(this.targets, this.ctx.random);
    const victims = await pickNodes(target, this.ctx, running);
    for (const id of victims) {
      const pid = cluster.pid(id);
      if (pid !== null) guardPausedProcess(pid);
      await cluster.pause(id);
    }
    return {
      nodes: victims.map(nodeLabel),
      detail: { target, nodes: victims.map(nodeLabel) },
      heal: async () => {
        for (const id of victims) await this.resume(id);
        return { resumed: victims.map(nodeLabel) };
      },
    };
  }

  async healAll(): Promise<void> {
    for (const id of this.ctx.cluster.nodeIds) await this.resume(id);
  }

  private async resume(id: number): Promise<void> {
    const { cluster } = this.ctx;
    const pid = cluster.pid(id);
    if (cluster.state(id) === 'paused') await cluster.resume(id);
    if (pid !== null) releasePausedProcess(pid);
  }
}
