import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

/** How a child process ended and what it wrote. */
export interface ProcessOutput {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Waits for a spawned child (stdout and stderr piped) to exit and collects both outputs as
 * text. A child still running after `timeoutMs` is killed (SIGKILL), so a hung tool cannot hang
 * its caller; one that cannot start rejects.
 */
export function collectOutput(child: ChildProcessByStdio<Writable | null, Readable, Readable>, timeoutMs: number): Promise<ProcessOutput> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
