import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CommandContext } from '../command-context.js';
import { UsageError } from '../../common/errors.js';
import { parseImpl, parseLauncher, parseNodeCount, parseSystem } from '../../workloads/launchers/cluster-spec.js';
import { startCluster, stopClusterIn } from '../../workloads/launchers/cluster-launcher.js';
import { readClusterState, stateFileName, targetFileName } from '../../workloads/launchers/cluster-state.js';
import { composeNodeOperation } from '../../workloads/launchers/compose-launcher.js';
import { defaultClusterDir, LocalCluster } from '../../workloads/launchers/local-cluster.js';
import { connectString, type Target } from '../../workloads/launchers/target.js';

interface UpOptions {
  impl: string;
  nodes: string;
  dir?: string;
  launcher: string;
  adminServer?: boolean;
  timeout: string;
  json?: boolean;
}

const nodeOperations = ['stop', 'kill', 'pause', 'resume', 'start', 'restart'] as const;
type NodeOperation = (typeof nodeOperations)[number];

function parseTimeout(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError('KZ_TIMEOUT_INVALID', `--timeout must be a positive number of seconds, not '${value}'`);
  return seconds * 1000;
}

function printTarget(target: Target, dir: string, json: boolean | undefined): void {
  if (json) {
    process.stdout.write(JSON.stringify(target, null, 2) + '\n');
    return;
  }
  process.stdout.write(`${join(dir, targetFileName)}\n${connectString(target)}\n`);
}

/** The directories `cluster down` acts on: --dir, else the system's default, else every default one in use. */
function downDirs(system: string | undefined, dir: string | undefined): string[] {
  if (dir) return [resolve(dir)];
  if (system) return [defaultClusterDir(parseSystem(system))];
  const present = (['zookeeper', 'kafka'] as const).map(defaultClusterDir).filter((d) => existsSync(join(d, stateFileName)));
  if (present.length === 0) throw new UsageError('KZ_CLUSTER_NOT_FOUND', 'no cluster under .kzbench/clusters/; name one with --dir');
  return present;
}

export function registerCluster({ program, log }: CommandContext): void {
  const cluster = program.command('cluster').description('start and stop clusters on loopback');
  cluster
    .command('up')
    .description('start a cluster and write DIR/target.json')
    .argument('<system>', 'zookeeper | kafka')
    .option('--impl <impl>', 'reference | apache[:VERSION]', 'apache')
    .option('--nodes <n>', 'number of nodes', '1')
    .option('--dir <dir>', 'cluster directory (default .kzbench/clusters/<system>)')
    .option('--launcher <launcher>', 'local | compose', 'local')
    .option('--admin-server', 'ZooKeeper: run the AdminServer on a free port')
    .option('--timeout <seconds>', 'how long to wait for the cluster to become healthy', '180')
    .option('--json', 'print target.json on stdout')
    .action(async (systemArg: string, opts: UpOptions) => {
      const system = parseSystem(systemArg);
      const { impl, version } = parseImpl(opts.impl);
      const nodes = parseNodeCount(opts.nodes);
      const launcher = parseLauncher(opts.launcher);
      const dir = resolve(opts.dir ?? defaultClusterDir(system));
      const readyTimeoutMs = parseTimeout(opts.timeout);
      const started = await startCluster({
        system,
        impl,
        version,
        nodes,
        dir,
        launcher,
        adminServer: opts.adminServer,
        readyTimeoutMs,
        log: log.child('cluster'),
      });
      printTarget(started.target, dir, opts.json);
    });
  cluster
    .command('down')
    .description('stop exactly the processes a cluster up started, and remove their data')
    .argument('[system]', 'zookeeper | kafka: its default directory')
    .option('--dir <dir>', 'cluster directory')
    .option('--keep', 'keep data directories')
    .action(async (system: string | undefined, opts: { dir?: string; keep?: boolean }) => {
      for (const dir of downDirs(system, opts.dir)) await stopClusterIn(dir, { keep: opts.keep, log: log.child('cluster') });
    });
  cluster
    .command('start')
    .description('start again a cluster stopped with cluster down --keep (same ports, same data)')
    .option('--dir <dir>', 'cluster directory')
    .option('--system <system>', 'zookeeper | kafka: use its default directory')
    .option('--timeout <seconds>', 'how long to wait for the cluster to become healthy', '180')
    .action(async (opts: { dir?: string; system?: string; timeout: string }) => {
      const dir = opts.dir ? resolve(opts.dir) : downDirs(opts.system, undefined)[0]!;
      const local = await LocalCluster.open(dir, log.child('cluster'));
      await local.startStopped(parseTimeout(opts.timeout));
      printTarget(local.target, dir, false);
    });
  cluster
    .command('node')
    .description('fault operations on one node: stop (SIGTERM), kill (SIGKILL), pause (SIGSTOP), resume (SIGCONT), start, restart')
    .argument('<operation>', nodeOperations.join(' | '))
    .argument('<id>', 'node id (as in target.json)')
    .option('--dir <dir>', 'cluster directory')
    .option('--system <system>', 'zookeeper | kafka: use its default directory')
    .action(async (operation: string, idArg: string, opts: { dir?: string; system?: string }) => {
      if (!(nodeOperations as readonly string[]).includes(operation)) {
        throw new UsageError('KZ_NODE_OPERATION_INVALID', `the node operation must be one of ${nodeOperations.join(', ')}, not '${operation}'`);
      }
      const op = operation as NodeOperation;
      const id = Number(idArg);
      const dir = opts.dir ? resolve(opts.dir) : downDirs(opts.system, undefined)[0]!;
      const state = await readClusterState(dir);
      if (!state) throw new UsageError('KZ_CLUSTER_NOT_FOUND', `no cluster in ${dir} (no cluster.json)`);
      if (state.launcher === 'compose') {
        await composeNodeOperation(state, id, op);
        return;
      }
      const local = await LocalCluster.open(dir, log.child('cluster'));
      switch (op) {
        case 'stop':
          return local.stopNode(id);
        case 'kill':
          return local.killNode(id);
        case 'pause':
          return local.pauseNode(id);
        case 'resume':
          return local.resumeNode(id);
        case 'start':
          return local.startNode(id);
        case 'restart':
          return local.restartNode(id);
      }
    });
  cluster
    .command('status')
    .description('print each node of a cluster and whether it runs')
    .option('--dir <dir>', 'cluster directory')
    .option('--system <system>', 'zookeeper | kafka: use its default directory')
    .action(async (opts: { dir?: string; system?: string }) => {
      const dir = opts.dir ? resolve(opts.dir) : downDirs(opts.system, undefined)[0]!;
      const state = await readClusterState(dir);
      if (!state) throw new UsageError('KZ_CLUSTER_NOT_FOUND', `no cluster in ${dir} (no cluster.json)`);
      if (state.launcher === 'compose') {
        for (const n of state.nodes) process.stdout.write(`${n.id} ${n.host}:${n.port} compose:${n.service}\n`);
        return;
      }
      const local = await LocalCluster.open(dir);
      for (const id of local.nodeIds) {
        const node = local.target.nodes.find((n) => n.id === id)!;
        process.stdout.write(`${id} ${node.host}:${node.port} ${local.status(id)} ${local.pidOf(id) ?? '-'}\n`);
      }
    });
}
