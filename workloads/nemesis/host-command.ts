import { execFile, execFileSync } from 'node:child_process';
import { KzbenchError } from '../../common/errors.js';

export interface HostCommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a system tool (`ip`, `iptables`) and resolves with its output. A non-zero exit throws
 * `KZ_NEMESIS_COMMAND_FAILED` with the tool's own message, unless `allowFailure`: fault
 * injection must never fail silently, but cleanup of something already gone is not an error.
 */
export function runHostCommand(command: string, args: readonly string[], opts: { allowFailure?: boolean; timeoutMs?: number } = {}): Promise<HostCommandResult> {
  return new Promise((resolve, reject) => {
    execFile(command, [...args], { timeout: opts.timeoutMs ?? 30_000, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new KzbenchError('KZ_NEMESIS_TOOL_MISSING', `${command} is not installed; fault injection needs it (Debian: apt-get install iproute2 iptables)`));
        return;
      }
      if (code !== 0 && !opts.allowFailure) {
        reject(new KzbenchError('KZ_NEMESIS_COMMAND_FAILED', `${command} ${args.join(' ')} failed (exit ${code}): ${(stderr || stdout).trim() || String(err)}`));
        return;
      }
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * The synchronous form, only for last-resort cleanup in a process `exit` handler, where
 * nothing asynchronous runs any more. Never throws.
 */
export function runHostCommandSync(command: string, args: readonly string[]): boolean {
  try {
    execFileSync(command, [...args], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}
