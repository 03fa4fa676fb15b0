import { randomBytes } from 'node:crypto';
import { UsageError } from '../../common/errors.js';
import { silentLogger, type Logger } from '../../common/logger.js';
import { findOnPath } from '../launchers/prerequisites.js';
import { runHostCommand, runHostCommandSync, type HostCommandResult } from './host-command.js';

/**
 * Where everything of one sandbox lives. Serialisable: the run that executes inside the hub
 * namespace receives it through `KZBENCH_NETWORK_SANDBOX`.
 */
export interface SandboxLayout {
  /** Prefix of every namespace name: `kzb<owner pid>-<tag>`. */
  name: string;
  /** The namespace holding the bridge; the harness (clients, proxies) runs here. */
  hub: string;
  /** The hub's own address on the bridge: clients connect from it. */
  hubAddress: string;
  /** A second hub address, the source of the fault proxy's upstream connections (never redirected). */
  proxySourceAddress: string;
  prefixLength: number;
  nodes: SandboxNode[];
}

export interface SandboxNode {
  id: number;
  /** The node's own network namespace. */
  netns: string;
  /** Its address on the bridge, the only one peers and clients see. */
  address: string;
}

export const sandboxEnvVar = 'KZBENCH_NETWORK_SANDBOX';
const subnet = '10.211.0';
const namePattern = /^kzb(\d+)-[0-9a-f]{4}-/;

/** Is `ip netns` usable here (root, iproute2, iptables)? The reason when not. */
export function sandboxUnavailableReason(): string | null {
  if (process.platform !== 'linux') return 'network namespaces need Linux';
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'network namespaces and iptables need root';
  if (!findOnPath('ip')) return 'the ip tool is missing (apt-get install iproute2)';
  if (!findOnPath('iptables')) return 'iptables is missing (apt-get install iptables)';
  return null;
}

/**
 * A private network for one cluster, so faults are real network faults without touching the
 * machine's own network: one namespace per node, each with a veth into a bridge in a hub
 * namespace, every address in 10.211.0.0/24 (private to this sandbox; concurrent sandboxes
 * reuse it without conflict because nothing routes between them).
 *
 * Nodes get their own addresses, so the source address of a peer connection names its
 * node and partitions are Jepsen's: iptables INPUT DROP rules inside the receiving node's
 * namespace. Only peer traffic is cut; the harness in the hub always reaches every node (a
 * client connected to a minority node keeps talking to it, which is the interesting case).
 *
 * Destroying the sandbox deletes the namespaces, and with them every veth, the bridge and
 * every rule: nothing is left on the host. A process still running inside keeps its
 * namespace alive until it exits, so stop the cluster first.
 */
export class NetworkSandbox {
  private destroyed = false;
  private readonly exitHook = (): void => this.destroySync();

  private constructor(
    readonly layout: SandboxLayout,
    private readonly log: Logger,
    /** Only the creator removes the namespaces; a run attached from inside leaves them. */
    private readonly owner: boolean,
  ) {
    if (owner) process.on('exit', this.exitHook);
  }

  /** Creates the namespaces, the bridge and one veth per node. */
  static async create(opts: { nodeIds: readonly number[]; log?: Logger }): Promise<NetworkSandbox> {
    const unavailable = sandboxUnavailableReason();
    if (unavailable) throw new UsageError('KZ_NEMESIS_NO_NETNS', `network faults need a private network namespace, but ${unavailable}`);
    if (opts.nodeIds.length === 0 || opts.nodeIds.some((id) => !Number.isInteger(id) || id < 1 || id > 250)) {
      throw new UsageError('KZ_NEMESIS_NODE_IDS', `sandbox node ids must be integers 1..250, got ${opts.nodeIds.join(',')}`);
    }
    const log = opts.log ?? silentLogger;
    await sweepStaleSandboxes(log);
    const name = `kzb${process.pid}-${randomBytes(2).toString('hex')}`;
    const layout: SandboxLayout = {
      name,
      hub: `${name}-hub`,
      hubAddress: `${subnet}.254`,
      proxySourceAddress: `${subnet}.253`,
      prefixLength: 24,
      nodes: opts.nodeIds.map((id) => ({ id, netns: `${name}-n${id}`, address: `${subnet}.${id}` })),
    };
    const sandbox = new NetworkSandbox(layout, log, true);
    try {
      await sandbox.build();
    } catch (err) {
      await sandbox.destroy();
      throw err;
    }
    log.info(`network sandbox ${name}: hub ${layout.hubAddress}, nodes ${layout.nodes.map((n) => `${n.id}=${n.address}`).join(' ')}`);
    return sandbox;
  }

  /** The sandbox a parent process created, seen from the run it started inside the hub. */
  static attach(layout: SandboxLayout, log: Logger = silentLogger): NetworkSandbox {
    return new NetworkSandbox(layout, log, false);
  }

  /** The layout passed down in the environment, when this process runs inside a sandbox. */
  static fromEnvironment(env: NodeJS.ProcessEnv = process.env, log?: Logger): NetworkSandbox | null {
    const raw = env[sandboxEnvVar];
    if (!raw) return null;
    let layout: SandboxLayout;
    try {
      layout = JSON.parse(raw) as SandboxLayout;
    } catch {
      throw new UsageError('KZ_NEMESIS_SANDBOX_ENV', `${sandboxEnvVar} is not valid JSON`);
    }
    if (typeof layout.hub !== 'string' || !Array.isArray(layout.nodes)) throw new UsageError('KZ_NEMESIS_SANDBOX_ENV', `${sandboxEnvVar} does not describe a sandbox`);
    return NetworkSandbox.attach(layout, log);
  }

  private async build(): Promise<void> {
    const { hub, hubAddress, proxySourceAddress, prefixLength } = this.layout;
    await ip(['netns', 'add', hub]);
    await ip(['-n', hub, 'link', 'set', 'lo', 'up']);
    await ip(['-n', hub, 'link', 'add', 'kzbr0', 'type', 'bridge']);
    await ip(['-n', hub, 'addr', 'add', `${hubAddress}/${prefixLength}`, 'dev', 'kzbr0']);
    await ip(['-n', hub, 'addr', 'add', `${proxySourceAddress}/${prefixLength}`, 'dev', 'kzbr0']);
    await ip(['-n', hub, 'link', 'set', 'kzbr0', 'up']);
    for (const node of this.layout.nodes) {
      const port = `kzv${node.id}`;
      await ip(['netns', 'add', node.netns]);
      await ip(['-n', node.netns, 'link', 'set', 'lo', 'up']);
      // Created straight in the target namespaces: the names never meet the host's.
      await ip(['link', 'add', 'eth0', 'netns', node.netns, 'type', 'veth', 'peer', 'name', port, 'netns', hub]);
      await ip(['-n', hub, 'link', 'set', port, 'master', 'kzbr0']);
      await ip(['-n', hub, 'link', 'set', port, 'up']);
      await ip(['-n', node.netns, 'addr', 'add', `${node.address}/${prefixLength}`, 'dev', 'eth0']);
      await ip(['-n', node.netns, 'link', 'set', 'eth0', 'up']);
    }
  }

  node(id: number): SandboxNode {
    const node = this.layout.nodes.find((n) => n.id === id);
    if (!node) throw new UsageError('KZ_NODE_UNKNOWN', `node ${id} is not in network sandbox ${this.layout.name}`);
    return node;
  }

  addressOf(id: number): string {
    return this.node(id).address;
  }

  /** Node ids and the addresses they bind, index = position in `nodes`. */
  get nodeAddresses(): string[] {
    return this.layout.nodes.map((n) => n.address);
  }

  /** `command args` run inside a node's namespace (the pid stays the same: `ip netns exec` execs). */
  wrapInNode(id: number, command: string, args: readonly string[]): { command: string; args: string[] } {
    return { command: 'ip', args: ['netns', 'exec', this.node(id).netns, command, ...args] };
  }

  /** `command args` run inside the hub, where the harness lives. */
  wrapInHub(command: string, args: readonly string[]): { command: string; args: string[] } {
    return { command: 'ip', args: ['netns', 'exec', this.layout.hub, command, ...args] };
  }

  /** Runs `iptables args` inside a node's namespace. */
  iptablesInNode(id: number, args: readonly string[], opts: { allowFailure?: boolean } = {}): Promise<HostCommandResult> {
    return runHostCommand('ip', ['netns', 'exec', this.node(id).netns, 'iptables', '-w', ...args], opts);
  }

  /** Runs `iptables args` inside the hub. */
  iptablesInHub(args: readonly string[], opts: { allowFailure?: boolean } = {}): Promise<HostCommandResult> {
    return runHostCommand('ip', ['netns', 'exec', this.layout.hub, 'iptables', '-w', ...args], opts);
  }

  /** The environment a child needs to attach to this sandbox. */
  environment(): Record<string, string> {
    return { [sandboxEnvVar]: JSON.stringify(this.layout) };
  }

  /** Deletes every namespace of the sandbox (idempotent); only the creator does. */
  async destroy(): Promise<void> {
    if (!this.owner || this.destroyed) return;
    this.destroyed = true;
    process.off('exit', this.exitHook);
    for (const name of this.namespaceNames()) await runHostCommand('ip', ['netns', 'del', name], { allowFailure: true });
    this.log.info(`network sandbox ${this.layout.name} removed`);
  }

  /** The same, synchronously: the last resort of a process that exits without cleaning up. */
  destroySync(): void {
    if (!this.owner || this.destroyed) return;
    this.destroyed = true;
    for (const name of this.namespaceNames()) runHostCommandSync('ip', ['netns', 'del', name]);
  }

  private namespaceNames(): string[] {
    return [...this.layout.nodes.map((n) => n.netns), this.layout.hub];
  }
}

function ip(args: string[]): Promise<unknown> {
  return runHostCommand('ip', args);
}

/** Every kzbench sandbox namespace on the machine, by name. */
export async function listSandboxNamespaces(): Promise<string[]> {
  const { stdout } = await runHostCommand('ip', ['netns', 'list'], { allowFailure: true });
  return stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter((name) => namePattern.test(name));
}

/**
 * Removes namespaces left by sandboxes whose creating process is gone (a run killed with
 * SIGKILL cannot clean up after itself). Namespaces of live processes are left alone.
 */
export async function sweepStaleSandboxes(log: Logger = silentLogger): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await listSandboxNamespaces()) {
    const owner = Number(namePattern.exec(name)![1]);
    if (processAlive(owner)) continue;
    await runHostCommand('ip', ['netns', 'del', name], { allowFailure: true });
    removed.push(name);
  }
  if (removed.length > 0) log.warn(`removed ${removed.length} network namespace(s) left by runs that died: ${removed.join(', ')}`);
  return removed;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
