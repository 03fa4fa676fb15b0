import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy that can go dark: `blackhole()` cuts every live connection and makes
 * new ones close at once, as a network partition between client and server would; `restore()`
 * forwards again. Used to let a real server expire a session while its client is cut off.
 */
export class BlackholeProxy {
  private dark = false;
  private readonly live = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(target: { host: string; port: number }): Promise<BlackholeProxy> {
    let proxy: BlackholeProxy | undefined;
    const server = createServer((client) => proxy!.accept(client, target));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('proxy has no port');
    proxy = new BlackholeProxy(server, address.port);
    return proxy;
  }

  get connectString(): string {
    return `127.0.0.1:${this.port}`;
  }

  private accept(client: Socket, target: { host: string; port: number }): void {
    if (this.dark) {
      client.destroy();
      return;
    }
    const upstream = connect(target);
    for (const s of [client, upstream]) {
      this.live.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        this.live.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }

  blackhole(): void {
    this.dark = true;
    for (const s of [...this.live]) s.destroy();
  }

  restore(): void {
    this.dark = false;
  }

  async close(): Promise<void> {
    this.blackhole();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
