import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../../../../common/ports.js';

export const builtCli = fileURLToPath(new URL('../../../../../dist/cli/main.js', import.meta.url));
export const cliMissing = existsSync(builtCli) ? null : 'the CLI is not built: run npm run build';

/**
 * `kzbench serve zookeeper` as a child process (the way an operator runs it), so tests can
 * SIGKILL it at any moment and start it again on the same port and data directory.
 */
export class ServerProcess {
  private child: ChildProcess | null = null;
  stderr = '';

  private constructor(
    readonly dataDir: string,
    readonly port: number,
    private readonly flags: string[],
  ) {}

  static async start(dataDir: string, flags: string[] = []): Promise<ServerProcess> {
    const p = new ServerProcess(dataDir, await freePort(), flags);
    await p.restart();
    return p;
  }

  get connectString(): string {
    return `127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the server and resolves once it prints its address (it listens by then). */
  restart(): Promise<void> {
    const child = spawn(
      process.execPath,
      [builtCli, 'serve', 'zookeeper', '--port', String(this.port), '--host', '127.0.0.1', '--data-dir', this.dataDir, ...this.flags],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    child.stderr!.on('data', (d) => (this.stderr += d));
    return new Promise((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d) => {
        out += d;
        if (out.includes('\n')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`server exited with ${code} before serving:\n${this.stderr}`)));
    });
  }

  /** SIGKILL: no flush, no close; whatever the OS has is what survives. */
  async kill9(): Promise<void> {
    const child = this.child;
    if (child === null || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    this.child = null;
  }

  /** SIGTERM and wait; resolves with the exit code. */
  async stop(): Promise<number | null> {
    const child = this.child;
    if (child === null || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    const code = await exited;
    this.child = null;
    return code;
  }
}
