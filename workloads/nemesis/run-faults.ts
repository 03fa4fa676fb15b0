import { UsageError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import type { LocalCluster } from '../launchers/local-cluster.js';
import type { NodeCommand } from '../launchers/node-process.js';
import type { Target } from '../launchers/target.js';
import type { RunSession } from '../runner/index.js';
import { seededRandom } from '../runner/seeded-random.js';
import type { Fault, FaultContext } from './fault.js';
import { IptablesPartitioner } from './iptables-partitioner.js';
import { KillFault } from './kill-fault.js';
import { nemesisClusterOf, type NemesisCluster } from './nemesis-cluster.js';
import { NemesisScheduler, type NemesisSummary } from './nemesis-scheduler.js';
import { describeFaultSpec, needsNetworkSandbox, parseFaultSpecs, type FaultSpec } from './nemesis-spec.js';
import { NetworkSandbox, sandboxUnavailableReason } from './network-sandbox.js';
import { PacketFault } from './packet-fault.js';
import { PartitionFault } from './partition-fault.js';
import { PauseFault } from './pause-fault.js';
import { DiskFault } from './disk-fault.js';
import { durabilityJournalEnvVar } from './unsynced-writes.js';
import { ClockFault } from './clock-fault.js';
import { clockOffsetEnvVar, faketimeEnvironment, requireLibfaketime, writeClockOffset } from './clock-skew.js';
import { join } from 'node:path';
import { ProxyNetwork } from './proxy-network.js';
import { injectBugEnvVar, injectableBugs, type InjectableBug } from './injectable-bugs.js';

/** How the nemesis behaves in one run (workloads choose defaults that fit their length). */
export interface NemesisSettings {
  /** Mean seconds between nemesis actions. */
  intervalSeconds: number;
  /** After the final heal: how long to wait for every node to serve again. */
  recoveryTimeoutSeconds: number;
  seed: number;
}

export interface RunFaultsRequest {
  /** `--nemesis` items as given. */
  nemesis: readonly string[];
  injectBug: string | null;
  system: 'zookeeper' | 'kafka';
  /** `reference`, `apache`, or null for a target.json the run did not start. */
  impl: 'reference' | 'apache' | null;
  nodes: number;
  settings: NemesisSettings;
  log: Logger;
}

/** What the launcher must do for the faults to work: node addresses, command wrapping. */
export interface ClusterFaultHooks {
  nodeHosts?: readonly string[];
  wrapNodeCommand?: (id: number, cmd: NodeCommand) => NodeCommand;
}

/** The nemesis of one run, once the cluster runs. */
export interface RunNemesis {
  /** Starts the schedule (with the load). */
  start(): void;
  /** Ends the schedule, heals everything, waits for the cluster to serve again. */
  stop(): Promise<NemesisSummary>;
  /** Closes proxies; undoes anything left (idempotent, also after errors). */
  close(): Promise<void>;
}

/**
 * The faults of one `kzbench run`, decided before anything starts so bad requests fail
 * first: which faults, what they need (a network sandbox, a local cluster, a reference
 * server), the launcher hooks that put nodes where faults can reach them, and, once the
 * cluster runs, the scheduler that inflicts them.
 */
export class RunFaults {
  /** Node id → clock offset file, filled when the launcher wraps the node commands. */
  private readonly clockOffsetFiles = new Map<number, string>();

  private constructor(
    readonly specs: readonly FaultSpec[],
    readonly injectBug: InjectableBug | null,
    private readonly request: RunFaultsRequest,
    readonly sandbox: NetworkSandbox | null,
  ) {}

  static plan(request: RunFaultsRequest, env: NodeJS.ProcessEnv = process.env): RunFaults {
    const specs = parseFaultSpecs(request.nemesis);
    const bug = request.injectBug === null ? null : parseInjectBug(request.injectBug, request.system);
    if (bug !== null && request.impl !== 'reference') {
      throw new UsageError('KZ_INJECT_BUG_TARGET', `--inject-bug breaks this repository's reference servers on purpose; use --target reference (the target here is ${request.impl ?? 'a target.json'})`);
    }
    if (specs.length > 0 && request.impl === null) {
      throw new UsageError('KZ_NEMESIS_TARGET', '--nemesis needs a cluster this run starts (--target reference or apache): faults act on its processes and network');
    }
    for (const spec of specs) {
      if (spec.kind === 'partition' && request.nodes < 2) {
        throw new UsageError('KZ_NEMESIS_NODES', 'partition needs at least 2 nodes (--nodes 3)');
      }
      if (spec.kind === 'disk' && request.impl !== 'reference') {
        // Apache's files are not touched: what they fsynced is not known from outside.
        throw new UsageError('KZ_NEMESIS_DISK_TARGET', `disk (lost unfsynced writes) needs the reference ${request.system === 'zookeeper' ? 'ZooKeeper' : 'Kafka broker'} (--target reference): it works through the durability journal our servers keep of their fsyncs`);
      }
      if (spec.kind === 'clock') {
        if (request.system === 'kafka' && request.impl !== 'reference') {
          // Measured: Apache Kafka 4.3 brokers under libfaketime (even at offset 0) never formed a
          // KRaft quorum here. The reference broker follows the offset file through its clock.
          throw new UsageError('KZ_NEMESIS_CLOCK_TARGET', 'clock skew for Kafka needs the reference broker (--target reference): Apache Kafka brokers under libfaketime did not form a KRaft quorum');
        }
        if (request.impl === 'apache') requireLibfaketime();
      }
    }
    let sandbox: NetworkSandbox | null = null;
    if (needsNetworkSandbox(specs)) {
      sandbox = NetworkSandbox.fromEnvironment(env, request.log);
      if (!sandbox) {
        const why = sandboxUnavailableReason();
        throw new UsageError('KZ_NEMESIS_NO_SANDBOX', why ? `network faults need a network sandbox, but ${why}` : 'network faults need the run to execute inside a network sandbox (kzbench run does this itself: see runInNetworkSandbox)');
      }
    }
    return new RunFaults(specs, bug, request, sandbox);
  }

  get active(): boolean {
    return this.specs.length > 0 || this.injectBug !== null;
  }

  /** Canonical `--nemesis` items for results.json. */
  get described(): string[] {
    return this.specs.map(describeFaultSpec);
  }

  /** Launcher hooks: nodes in their namespaces, the seeded bug in the reference server's environment. */
  clusterHooks(): ClusterFaultHooks {
    const sandbox = this.sandbox;
    const env: Record<string, string> = {};
    if (this.injectBug !== null) env[injectBugEnvVar] = this.injectBug;
    if (this.specs.some((s) => s.kind === 'disk')) env[durabilityJournalEnvVar] = '1';
    const clock = this.specs.some((s) => s.kind === 'clock');
    if (!sandbox && Object.keys(env).length === 0 && !clock) return {};
    return {
      ...(sandbox ? { nodeHosts: this.nodeIds().map((id) => sandbox.addressOf(id)) } : {}),
      wrapNodeCommand: (id, cmd) => {
        const nodeEnv = { ...env };
        if (clock) {
          // Beside the node's config and log; removed with the cluster directory.
          const file = join(cmd.cwd, 'kzbench-clock-offset');
          writeClockOffset(file, 0);
          this.clockOffsetFiles.set(id, file);
          Object.assign(nodeEnv, this.request.impl === 'apache' ? faketimeEnvironment(file) : { [clockOffsetEnvVar]: file });
        }
        let out: NodeCommand = Object.keys(nodeEnv).length === 0 ? cmd : { ...cmd, env: { ...cmd.env, ...nodeEnv } };
        if (sandbox) out = { ...out, ...sandbox.wrapInNode(id, out.command, out.args) };
        return out;
      },
    };
  }

  private nodeIds(): number[] {
    return Array.from({ length: this.request.nodes }, (_, i) => i + 1);
  }

  /** Builds the faults against the running cluster; nothing is inflicted before `start()`. */
  async attach(cluster: LocalCluster | NemesisCluster | undefined, target: Target, session: RunSession): Promise<RunNemesis | null> {
    if (this.specs.length === 0) return null;
    if (!cluster) throw new UsageError('KZ_NEMESIS_TARGET', '--nemesis needs a local cluster started by this run');
    const nemesisCluster = 'killNode' in cluster ? nemesisClusterOf(cluster) : cluster;
    const { settings, log } = this.request;
    const random = seededRandom(settings.seed);
    const ctx: FaultContext = { cluster: nemesisCluster, random, log };
    let proxies: ProxyNetwork | null = null;
    const faults: Fault[] = [];
    for (const spec of this.specs) {
      switch (spec.kind) {
        case 'kill':
          faults.push(new KillFault(ctx, spec.targets));
          break;
        case 'pause':
          faults.push(new PauseFault(ctx, spec.targets));
          break;
        case 'partition':
          faults.push(new PartitionFault(ctx, new IptablesPartitioner(this.sandbox!), spec.shapes));
          break;
        case 'disk':
          faults.push(new DiskFault(ctx));
          break;
        case 'clock':
          faults.push(new ClockFault(ctx, this.clockOffsetFiles, spec.maxSkewMs));
          break;
        case 'packet':
          proxies ??= await ProxyNetwork.transparent(this.sandbox!, target.nodes.map((n) => ({ id: n.id, host: n.host, port: n.port })), { seed: settings.seed, log });
          faults.push(new PacketFault(ctx, proxies, spec.behaviours, spec.targets));
          break;
        default:
          break;
      }
    }
    const scheduler = new NemesisScheduler({ session, faults, intervalSeconds: settings.intervalSeconds, random, log });
    let stopped: Promise<NemesisSummary> | undefined;
    const stop = (): Promise<NemesisSummary> => {
      stopped ??= (async () => {
        const summary = await scheduler.stop();
        try {
          await nemesisCluster.waitHealthy(settings.recoveryTimeoutSeconds * 1000);
        } catch (err) {
          const message = `the cluster did not recover within ${settings.recoveryTimeoutSeconds} s of the final heal: ${(err as Error).message.split('\n')[0]}`;
          summary.errors.push(message);
          log.warn(message);
        }
        return summary;
      })();
      return stopped;
    };
    return {
      start: () => scheduler.start(),
      stop,
      close: async () => {
        await stop();
        await proxies?.close();
      },
    };
  }
}

function parseInjectBug(name: string, system: 'zookeeper' | 'kafka'): InjectableBug {
  const bugs = injectableBugs[system];
  if ((bugs as readonly string[]).includes(name)) return name as InjectableBug;
  throw new UsageError('KZ_INJECT_BUG_UNKNOWN', `the reference ${system} server has no bug '${name}' to inject; choose from ${bugs.join(', ')}`);
}
