import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built CLI: crash tests need a broker in its own process to kill -9 (run `npm run build` first). */
export const cliPath = fileURLToPath(new URL('../../../../dist/cli/main.js', import.meta.url));
export const cliBuilt = existsSync(cliPath);

export interface ChildBroker {
  child: ChildProcess;
  bootstrap: string;
  /** SIGKILL, then wait for the exit. */
  kill9(): Promise<void>;
  /** SIGTERM (clean shutdown), then wait for the exit. */
  stop(): Promise<void>;
}

/**
 * `kzbench serve kafka` in a child process on `port` and `logDir`, with extra server.properties
 * written to `logDir/../server.properties`. Resolves once it prints its address.
 */
export function startChildBroker(port: number, logDir: string, properties: Record<string, string> = {}): Promise<ChildBroker> {
  const args = [cliPath, 'serve', 'kafka', '--port', String(port), '--log-dir', logDir];
  if (Object.keys(properties).length > 0) {
    const config = join(logDir, '..', `server-${port}.properties`);
    writeFileSync(config, Object.entries(properties).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
    args.push('--config', config);
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    const onEarlyExit = (code: number | null) => reject(new Error(`broker exited early with ${code}: ${stderr}`));
    child.once('error', reject);
    child.once('exit', onEarlyExit);
    child.stdout!.once('data', (d) => {
      child.off('exit', onEarlyExit);
      resolve({
        child,
        bootstrap: String(d).trim(),
        kill9: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
          await exited;
        },
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}
