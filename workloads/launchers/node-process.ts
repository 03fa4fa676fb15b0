import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { KzbenchError } from '../../common/errors.js';
import { procCommandLine, processExists, procState } from './process-liveness.js';

/** How to (re)start one node: recorded in the cluster state so another process can restart it. */
export interface NodeCommand {
  command: string;
  args: string[];
  cwd: string;
  env?: Record<string, string>;
  logFile: string;
  /**
   * A string unique to this node in its command line (its config file path). Before a signal
   * is sent, the pid's command line must still contain it: a recycled pid is never hit.
   */
  marker: string;
}

/**
 * Starts a node detached (its own session, output appended to its log file), so it outlives
 * the `kzbench cluster up` that started it. Returns the pid.
 */
export function spawnDetached(cmd: NodeCommand): number {
  const out = openSync(cmd.logFile, 'a');
  try {
    const child = spawn(cmd.command, cmd.args, {
      cwd: cmd.cwd,
      env: { ...process.env, ...cmd.env },
      detached: true,
      stdio: ['ignore', out, out],
    });
    if (child.pid === undefined) throw new KzbenchError('KZ_NODE_SPAWN_FAILED', `could not start ${cmd.command}`);
    // Node still reaps it if it exits while we run; spawn errors (ENOENT) surface as an early exit.
    child.on('error', () => {});
    child.unref();
    return child.pid;
  } finally {
    closeSync(out);
  }
}

/** True when `pid` is alive and still the process started with `marker` in its command line. */
export function isOurProcess(pid: number, marker: string): boolean {
  if (!processExists(pid)) return false;
  const argv = procCommandLine(pid);
  // Without /proc the check cannot be made; the pid is trusted.
  return argv === null || argv.some((a) => a.includes(marker));
}

/** True when the process is stopped by SIGSTOP. */
export function isPaused(pid: number): boolean {
  return procState(pid) === 'T';
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (processExists(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

/**
 * SIGTERM (after SIGCONT, since a paused process cannot act on it), then SIGKILL when it has
 * not exited within `graceMs`. Resolves once the process is gone.
 */
export async function terminate(pid: number, marker: string, graceMs = 20_000): Promise<void> {
  if (!isOurProcess(pid, marker)) return;
  signal(pid, 'SIGCONT');
  signal(pid, 'SIGTERM');
  if (await waitForExit(pid, graceMs)) return;
  await kill(pid, marker);
}

/** SIGKILL, then wait until the process is gone. */
export async function kill(pid: number, marker: string): Promise<void> {
  if (!isOurProcess(pid, marker)) return;
  signal(pid, 'SIGKILL');
  if (!(await waitForExit(pid, 30_000))) {
    throw new KzbenchError('KZ_NODE_UNKILLABLE', `pid ${pid} is still alive 30 s after SIGKILL`);
  }
}

export function pause(pid: number, marker: string): void {
  if (isOurProcess(pid, marker)) signal(pid, 'SIGSTOP');
}

export function resume(pid: number, marker: string): void {
  if (isOurProcess(pid, marker)) signal(pid, 'SIGCONT');
}
