import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { collectOutput, type ProcessOutput } from '../../workloads/launchers/process-output.js';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
/** The built CLI; `npm test` builds before running vitest. */
export const cliPath = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export type CliResult = ProcessOutput;

/** Runs `kzbench <args>` from the build and collects its output. */
export async function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliResult> {
  const child = spawn(process.execPath, [cliPath, ...args], {
    cwd: opts.cwd ?? repoRoot,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return collectOutput(child, opts.timeoutMs ?? 120_000);
}
