import { spawn } from 'node:child_process';
import { silentLogger, type Logger } from '../../common/logger.js';
import { runHostCommand } from './host-command.js';
import { needsNetworkSandbox, parseFaultSpecs } from './nemesis-spec.js';
import { NetworkSandbox, sandboxEnvVar } from './network-sandbox.js';

export interface SandboxedRunOptions {
  nodeIds: readonly number[];
  command: string;
  args: readonly string[];
  env?: NodeJS.ProcessEnv;
  log?: Logger;
}

/** True in the process `runInNetworkSandbox` started: it runs inside the hub. */
export function insideNetworkSandbox(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env[sandboxEnvVar]);
}

/**
 * Runs `command` inside a fresh network sandbox's hub namespace (Node cannot enter a
 * namespace itself, so a run that needs one starts itself again there) and returns its exit
 * code. The child learns the layout from `KZBENCH_NETWORK_SANDBOX` and puts the cluster's
 * nodes in their namespaces.
 *
 * Cleanup does not depend on the child: once it exits, however it exits, every process still
 * inside a node namespace is resumed and killed (all of them are ours, the namespaces are),
 * then the namespaces are deleted, taking every veth and iptables rule with them. SIGINT and
 * SIGTERM are passed on to the child so it can stop its load and write its results first.
 */
export async function runInNetworkSandbox(opts: SandboxedRunOptions): Promise<number> {
  const log = opts.log ?? silentLogger;
  const sandbox = await NetworkSandbox.create({ nodeIds: opts.nodeIds, log });
  const wrapped = sandbox.wrapInHub(opts.command, opts.args);
  // Its own process group: a Ctrl-C reaches only this process, which passes it on once (a
  // second Ctrl-C then stops the child at once).
  const child = spawn(wrapped.command, wrapped.args, { stdio: 'inherit', detached: true, env: { ...(opts.env ?? process.env), ...sandbox.environment() } });
  const forward = (signal: NodeJS.Signals) => () => {
    log.warn(`passing ${signal} to the sandboxed run`);
    child.kill(signal);
  };
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 + signalNumber(signal) : 1)));
    });
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    await killProcessesInside(sandbox, log);
    await sandbox.destroy();
  }
}

/** SIGCONT + SIGKILL for every process left in the sandbox's node namespaces. */
export async function killProcessesInside(sandbox: NetworkSandbox, log: Logger = silentLogger): Promise<number[]> {
  const killed: number[] = [];
  for (const node of sandbox.layout.nodes) {
    const { stdout } = await runHostCommand('ip', ['netns', 'pids', node.netns], { allowFailure: true });
    for (const pid of stdout.split(/\s+/).filter(Boolean).map(Number)) {
      for (const signal of ['SIGCONT', 'SIGKILL'] as const) {
        try {
          process.kill(pid, signal);
        } catch {
          // gone already
        }
      }
      killed.push(pid);
    }
  }
  if (killed.length > 0) log.warn(`stopped ${killed.length} process(es) the sandboxed run left behind: ${killed.join(', ')}`);
  return killed;
}

function signalNumber(signal: NodeJS.Signals): number {
  const numbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
  return numbers[signal] ?? 1;
}

/**
 * For `kzbench run`: when the faults asked for need a network sandbox and this process is
 * not in one yet, runs the same command line again inside a fresh sandbox and returns its
 * exit code; otherwise returns null and the caller goes on. Only targets the run starts can
 * be placed in a sandbox; for others the fault planning reports the problem.
 */
export async function rerunInNetworkSandboxIfNeeded(opts: { nemesis: readonly string[]; target: string; nodes: number; log: Logger }): Promise<number | null> {
  if (insideNetworkSandbox()) return null;
  if (!(opts.target === 'reference' || opts.target === 'apache' || opts.target.startsWith('apache:'))) return null;
  if (!needsNetworkSandbox(parseFaultSpecs(opts.nemesis))) return null;
  opts.log.info('network faults asked for: running inside a private network sandbox');
  return runInNetworkSandbox({
    nodeIds: Array.from({ length: opts.nodes }, (_, i) => i + 1),
    command: process.execPath,
    args: [...process.execArgv, ...process.argv.slice(1)],
    log: opts.log,
  });
}
