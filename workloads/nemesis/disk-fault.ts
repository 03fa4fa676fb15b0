import { nodeLabel } from './nemesis-cluster.js';
import { pickNodes, type Fault, type FaultContext, type FaultInstance } from './fault.js';
import { loseUnsyncedWrites } from './unsynced-writes.js';

/**
 * A crash that also loses what was not fsynced (Jepsen's lazyfs `lose-unfsynced-writes`):
 * SIGKILL a node, cut its logs back to what its durability journal says is on disk, and
 * start it again at the heal. A server that acknowledges only synced writes loses nothing
 * it acknowledged; one that skips fsync loses acknowledged writes. Reference servers only.
 */
export class DiskFault implements Fault {
  readonly name = 'disk';

  constructor(private readonly ctx: FaultContext) {}

  async start(): Promise<FaultInstance> {
    const { cluster } = this.ctx;
    const running = cluster.nodeIds.filter((id) => cluster.state(id) !== 'stopped');
    const victims = await pickNodes('one', this.ctx, running);
    const lost: { node: string; files: number; lostBytes: number }[] = [];
    for (const id of victims) {
      await cluster.kill(id);
      const dir = cluster.dataDir(id);
      const cut = dir ? loseUnsyncedWrites(dir) : [];
      lost.push({ node: nodeLabel(id), files: cut.length, lostBytes: cut.reduce((n, c) => n + c.lostBytes, 0) });
    }
    return {
      nodes: victims.map(nodeLabel),
      detail: { nodes: victims.map(nodeLabel), lostUnsynced: lost },
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
