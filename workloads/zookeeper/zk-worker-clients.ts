import type { Logger } from '../../common/logger.js';
import { ZooKeeperClient } from '../clients/zookeeper/index.js';
import type { Target } from '../launchers/target.js';

/** One ZooKeeper session owned by one worker slot until the worker's process crashes. */
export interface WorkerClient {
  client: ZooKeeperClient;
  /** Unique per session over the run (`c7`): the session-rule checker's `client`. */
  label: string;
  /** The node it talks to (`n2`), for the history's `node` field. */
  node: string;
}

export interface WorkerClientsOptions {
  target: Target;
  /**
   * `own`: each worker talks to one node (worker i to node i mod n), as Jepsen's clients do,
   * so a client cut off with a minority stays there; `all`: the client may fail over.
   */
  connect: 'own' | 'all';
  sessionTimeoutMs: number;
  connectTimeoutMs: number;
  log: Logger;
}

/**
 * Clients of the Jepsen-style ZooKeeper workloads: one session per worker slot, opened on
 * first use. After an indeterminate outcome (`crash`), the session is abandoned and closed in
 * the background, and the worker's next op opens a new one, as Jepsen reopens a client whose
 * process crashed; so a session never has more than one request of ours outstanding, and its
 * last zxid is exactly the zxid of its last reply.
 */
export class ZkWorkerClients {
  private readonly byWorker = new Map<number, WorkerClient>();
  private readonly closing = new Set<Promise<void>>();
  private nextLabel = 1;
  private opened = 0;

  constructor(private readonly opts: WorkerClientsOptions) {}

  /** Sessions opened so far (connections the workload made). */
  get sessionsOpened(): number {
    return this.opened;
  }

  /** The worker's session; opens one when it has none. Rejects when no server accepts in time. */
  async get(worker: number): Promise<WorkerClient> {
    const existing = this.byWorker.get(worker);
    if (existing && isUsable(existing.client)) return existing;
    if (existing) this.crash(worker);
    const nodes = this.opts.target.nodes;
    const home = nodes[worker % nodes.length]!;
    const hosts = this.opts.connect === 'own' ? `${home.host}:${home.port}` : [home, ...nodes.filter((n) => n !== home)].map((n) => `${n.host}:${n.port}`).join(',');
    const client = await ZooKeeperClient.connect({
      hosts,
      sessionTimeout: this.opts.sessionTimeoutMs,
      connectTimeout: this.opts.connectTimeoutMs,
      initialConnectTimeout: this.opts.connectTimeoutMs,
    });
    this.opened++;
    const wc: WorkerClient = { client, label: `c${this.nextLabel++}`, node: `n${home.id}` };
    this.byWorker.set(worker, wc);
    return wc;
  }

  /** The worker's current session, if it has one (never opens one). */
  peek(worker: number): WorkerClient | undefined {
    return this.byWorker.get(worker);
  }

  /** Opens the sessions of workers 0..count-1 up front, so the first ops do not wait for handshakes. */
  async open(count: number): Promise<void> {
    await Promise.allSettled(Array.from({ length: count }, (_, worker) => this.get(worker)));
  }

  /** The worker's process crashed: drop its session (closed in the background). */
  crash(worker: number): void {
    const wc = this.byWorker.get(worker);
    if (!wc) return;
    this.byWorker.delete(worker);
    this.closeQuietly(wc.client);
  }

  /** Closes every session, waiting at most `timeoutMs` for servers that do not answer. */
  async closeAll(timeoutMs = 5000): Promise<void> {
    for (const worker of [...this.byWorker.keys()]) this.crash(worker);
    await Promise.race([Promise.allSettled([...this.closing]), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
  }

  private closeQuietly(client: ZooKeeperClient): void {
    const closing = client
      .close()
      .catch((err: unknown) => this.opts.log.debug(`closing a crashed session: ${String(err)}`))
      .finally(() => this.closing.delete(closing));
    this.closing.add(closing);
  }
}

function isUsable(client: ZooKeeperClient): boolean {
  return client.state === 'connected' || client.state === 'disconnected' || client.state === 'connecting';
}
