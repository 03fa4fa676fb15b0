import type { ChildProcess, ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

/** How a child process ended and what it wrote. */
export interface ProcessOutput {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The exit code of a spawned child once it and its output streams have closed (null when a
 * signal ended it). A child still running after `timeoutMs` is killed (SIGKILL), so a hung
 * tool cannot hang its caller; one that cannot start rejects.
 */
export function exitCodeOf(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/** Waits for a spawned child (stdout and stderr piped) as `exitCodeOf` does, collecting both outputs as text. */
export async function collectOutput(child: ChildProcessByStdio<Writable | null, Readable, Readable>, timeoutMs: number): Promise<ProcessOutput> {
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const code = await exitCodeOf(child, timeoutMs);
  return { code, stdout, stderr };
}
