import type { NetworkSandbox } from './network-sandbox.js';
import type { Grudge } from './partition-grudge.js';

/** Our own chain in each node namespace, jumped to from INPUT, so healing flushes only it. */
const chain = 'KZ-PARTITION';

/**
 * Applies grudges as Jepsen's `net/drop!` does: inside each receiving node's namespace, an
 * iptables rule drops every packet whose source is a node it holds a grudge against.
 * Established connections stall (no RST), as across a real partition; healing removes the
 * rules and TCP retransmission resumes them.
 */
export class IptablesPartitioner {
  private prepared = new Set<number>();

  constructor(private readonly sandbox: NetworkSandbox) {}

  /** Replaces whatever partition is in force with `grudge`. */
  async apply(grudge: Grudge): Promise<void> {
    await this.heal();
    for (const [node, dropped] of grudge) {
      if (dropped.length === 0) continue;
      await this.prepare(node);
      for (const peer of dropped) {
        await this.sandbox.iptablesInNode(node, ['-A', chain, '-s', this.sandbox.addressOf(peer), '-j', 'DROP']);
      }
    }
  }

  /** Removes every partition rule (idempotent; safe on nodes never partitioned). */
  async heal(): Promise<void> {
    for (const node of this.prepared) await this.sandbox.iptablesInNode(node, ['-F', chain], { allowFailure: true });
  }

  /** The rules in force in a node's namespace, for tests and diagnostics. */
  async rulesOf(node: number): Promise<string[]> {
    if (!this.prepared.has(node)) return [];
    const out = await this.sandbox.iptablesInNode(node, ['-S', chain]);
    return out.stdout.split('\n').filter((l) => l.startsWith('-A '));
  }

  private async prepare(node: number): Promise<void> {
    if (this.prepared.has(node)) return;
    await this.sandbox.iptablesInNode(node, ['-N', chain], { allowFailure: true });
    const linked = await this.sandbox.iptablesInNode(node, ['-C', 'INPUT', '-j', chain], { allowFailure: true });
    if (linked.code !== 0) await this.sandbox.iptablesInNode(node, ['-I', 'INPUT', '-j', chain]);
    this.prepared.add(node);
  }
}
