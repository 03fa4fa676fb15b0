import { spawn } from 'node:child_process';

/**
 * Runs a client tool asynchronously. Never spawnSync here: the broker under test runs in
 * this process, and a blocked event loop would leave the tool talking to a frozen broker.
 */
export function runTool(cmd: string, args: string[], input?: string, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`${cmd} ${args.join(' ')} exited ${code ?? signal}: ${stderr}`));
    });
    child.stdin.end(input ?? '');
  });
}
