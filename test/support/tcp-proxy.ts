import { connect, createServer, type Server, type Socket } from 'node:net';

export interface ProxyTarget {
  host: string;
  port: number;
}

/** One proxied connection: the client's socket, the one to the target, and when both have closed. */
export interface ProxiedConnection {
  readonly client: Socket;
  readonly upstream: Socket;
  readonly closed: Promise<void>;
}

/**
 * A loopback TCP proxy for tests. It forwards each connection to the target byte for byte
 * and closes both sides as soon as either closes. `dropAll` cuts the live connections (their
 * clients reconnect); `blackhole` also makes new connections close at once, as a network
 * partition between client and server would, until `restore`. `onConnection` sees each
 * connection before any byte is forwarded, so it can watch or record what flows.
 */
export class TcpProxy {
  private dark = false;
  private readonly live = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(target: ProxyTarget, onConnection?: (connection: ProxiedConnection) => void): Promise<TcpProxy> {
    let proxy: TcpProxy | undefined;
    const server = createServer((client) => proxy!.accept(client, target, onConnection));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('proxy has no port');
    proxy = new TcpProxy(server, address.port);
    return proxy;
  }

  get connectString(): string {
    return `127.0.0.1:${this.port}`;
  }

  private accept(client: Socket, target: ProxyTarget, onConnection: ((connection: ProxiedConnection) => void) | undefined): void {
    if (this.dark) {
      client.destroy();
      return;
    }
    const upstream = connect(target);
    const sockets = [client, upstream];
    const closed = Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.once('close', () => resolve())))).then(() => undefined);
    onConnection?.({ client, upstream, closed });
    for (const s of sockets) {
      this.live.add(s);
      // A reset is an ordinary end of a proxied connection; 'close' follows and cleans up.
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

  /** Cuts every live connection now. */
  dropAll(): void {
    for (const s of [...this.live]) s.destroy();
  }

  /** Cuts every live connection and closes new ones at once, until `restore`. */
  blackhole(): void {
    this.dark = true;
    this.dropAll();
  }

  restore(): void {
    this.dark = false;
  }

  async close(): Promise<void> {
    this.blackhole();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
