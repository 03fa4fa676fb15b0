import type { Logger } from '../../common/logger.js';
import { silentLogger } from '../../common/logger.js';
import type { NetworkSandbox } from './network-sandbox.js';
import { startToxicProxy, type ToxicProxy } from './toxic-proxy.js';
import type { Toxic, ToxicDirection } from './toxics.js';

export interface ProxiedEndpoint {
  /** Node id. */
  id: number;
  host: string;
  port: number;
}

/** The NAT chain in the hub that sends the harness's connections through the proxies. */
const natChain = 'KZ-PROXY';

/**
 * One fault proxy in front of each node's client port. In a network sandbox the proxies are
 * transparent: an iptables DNAT rule in the hub sends every harness connection to a node's
 * port through its proxy, so every client (kafkajs following advertised listeners included)
 * passes through without being told. Outside a sandbox the proxies are explicit: a workload
 * connects to `addressOf(id)` instead of the node.
 */
export class ProxyNetwork {
  private constructor(
    private readonly proxies: Map<number, ToxicProxy>,
    private readonly sandbox: NetworkSandbox | null,
    private readonly log: Logger,
  ) {}

  static async transparent(sandbox: NetworkSandbox, endpoints: readonly ProxiedEndpoint[], opts: { seed?: number; log?: Logger } = {}): Promise<ProxyNetwork> {
    const proxies = new Map<number, ToxicProxy>();
    const network = new ProxyNetwork(proxies, sandbox, opts.log ?? silentLogger);
    try {
      await sandbox.iptablesInHub(['-t', 'nat', '-N', natChain], { allowFailure: true });
      await sandbox.iptablesInHub(['-t', 'nat', '-F', natChain]);
      const linked = await sandbox.iptablesInHub(['-t', 'nat', '-C', 'OUTPUT', '-j', natChain], { allowFailure: true });
      if (linked.code !== 0) await sandbox.iptablesInHub(['-t', 'nat', '-A', 'OUTPUT', '-j', natChain]);
      for (const [i, e] of endpoints.entries()) {
        const proxy = await startToxicProxy({ upstream: { host: e.host, port: e.port }, localAddress: sandbox.layout.proxySourceAddress, seed: (opts.seed ?? 1) + i, log: opts.log });
        proxies.set(e.id, proxy);
        // The proxy's own upstream connections come from proxySourceAddress and are left alone.
        await sandbox.iptablesInHub([
          '-t', 'nat', '-A', natChain, '-p', 'tcp', '-d', e.host, '--dport', String(e.port),
          '!', '-s', sandbox.layout.proxySourceAddress, '-j', 'DNAT', '--to-destination', `127.0.0.1:${proxy.port}`,
        ]);
      }
    } catch (err) {
      await network.close();
      throw err;
    }
    return network;
  }

  static async explicit(endpoints: readonly ProxiedEndpoint[], opts: { seed?: number; log?: Logger } = {}): Promise<ProxyNetwork> {
    const proxies = new Map<number, ToxicProxy>();
    const network = new ProxyNetwork(proxies, null, opts.log ?? silentLogger);
    try {
      for (const [i, e] of endpoints.entries()) proxies.set(e.id, await startToxicProxy({ upstream: { host: e.host, port: e.port }, seed: (opts.seed ?? 1) + i, log: opts.log }));
    } catch (err) {
      await network.close();
      throw err;
    }
    return network;
  }

  get transparentMode(): boolean {
    return this.sandbox !== null;
  }

  get nodeIds(): number[] {
    return [...this.proxies.keys()];
  }

  /** Where a client should connect to reach node `id` through its proxy (explicit mode). */
  addressOf(id: number): { host: string; port: number } {
    const proxy = this.proxy(id);
    return { host: proxy.host, port: proxy.port };
  }

  /** Adds `toxic` on the given nodes' proxies; returns a function removing exactly those. */
  addToxic(ids: readonly number[], toxic: Toxic, direction: ToxicDirection = 'both'): () => void {
    const added = ids.map((id) => [this.proxy(id), this.proxy(id).addToxic(toxic, direction)] as const);
    return () => {
      for (const [proxy, toxicId] of added) proxy.removeToxic(toxicId);
    };
  }

  /** Bytes through node `id`'s proxy so far, per direction. */
  trafficOf(id: number): ToxicProxy['traffic'] {
    return this.proxy(id).traffic;
  }

  clearToxics(): void {
    for (const proxy of this.proxies.values()) proxy.clearToxics();
  }

  /** Removes the redirect rules and closes every proxy (and its connections). */
  async close(): Promise<void> {
    if (this.sandbox) {
      await this.sandbox.iptablesInHub(['-t', 'nat', '-D', 'OUTPUT', '-j', natChain], { allowFailure: true });
      await this.sandbox.iptablesInHub(['-t', 'nat', '-F', natChain], { allowFailure: true });
      await this.sandbox.iptablesInHub(['-t', 'nat', '-X', natChain], { allowFailure: true });
    }
    await Promise.all([...this.proxies.values()].map((p) => p.close()));
    this.proxies.clear();
    this.log.debug('fault proxies closed');
  }

  private proxy(id: number): ToxicProxy {
    const proxy = this.proxies.get(id);
    if (!proxy) throw new Error(`no fault proxy for node ${id}`);
    return proxy;
  }
}
