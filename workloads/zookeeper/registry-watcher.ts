import { EventType } from '../../protocols/zookeeper/index.js';
import type { Logger } from '../../common/logger.js';
import { ZooKeeperClient, type ClientState } from '../clients/zookeeper/index.js';
import type { RunSession } from '../runner/index.js';

export interface RegistryView {
  /** Member names under the service directory, sorted. */
  members: string[];
  /** The config value last read, or null. */
  config: string | null;
}

/**
 * A registry client as services use one: it keeps the member list of a service and a config
 * value up to date from watches alone (a child watch on the service directory, a data watch
 * on the config znode), re-reading and re-arming on every event, and starting over with a
 * fresh session when its session expires. Every view change is recorded as a standalone
 * `view` op of its process, so the report shows what each watcher believed and when.
 */
export class RegistryWatcher {
  private client: ZooKeeperClient | null = null;
  private stopped = false;
  private readonly current: RegistryView = { members: [], config: null };
  /** Config values in the order this watcher saw them (a client must never see one go back). */
  readonly configHistory: string[] = [];
  /** View updates so far (tests, facts). */
  updates = 0;
  private pending = Promise.resolve();

  constructor(
    private readonly o: {
      name: string;
      hosts: string;
      serviceDir: string;
      configPath: string;
      sessionTimeoutMs: number;
      session: RunSession;
      log: Logger;
    },
  ) {}

  get view(): RegistryView {
    return { members: [...this.current.members], config: this.current.config };
  }

  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    while (!this.stopped) {
      try {
        const client = await ZooKeeperClient.connect({ hosts: this.o.hosts, sessionTimeout: this.o.sessionTimeoutMs, initialConnectTimeout: 5000 });
        this.client = client;
        client.onStateChange((change) => this.onState(client, change.state));
        await Promise.all([this.untilRead(client, () => this.readMembers(client)), this.untilRead(client, () => this.readConfig(client))]);
        return;
      } catch (err) {
        this.o.log.debug(`${this.o.name}: (re)connect failed: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  private onState(client: ZooKeeperClient, state: ClientState): void {
    if (state !== 'expired' || this.stopped || client !== this.client) return;
    // An expired session lost its watches: start over, reading everything again.
    this.record('session-expired', null);
    this.client = null;
    void client.close().catch(() => {});
    this.serialise(() => this.connect());
  }

  /**
   * Runs a read until it succeeds: a read that failed (connection lost during a partition or a
   * node's death) armed no watch, and without one this watcher would never hear of the znode
   * again. The session survives disconnects, so retrying on it is right; if it expires,
   * onState starts over with a new session and this loop ends (the client is no longer ours).
   */
  private async untilRead(client: ZooKeeperClient, read: () => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await read();
        return;
      } catch (err) {
        if (this.stopped || client !== this.client) return;
        this.o.log.debug(`${this.o.name}: read failed (attempt ${attempt}), retrying: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, Math.min(1000, 100 * attempt)));
      }
    }
  }

  /** Re-reads run one at a time, so views are recorded in the order they were read. */
  private serialise(task: () => Promise<void>): void {
    this.pending = this.pending.then(task).catch((err: unknown) => this.o.log.debug(`${this.o.name}: ${(err as Error).message}`));
  }

  private async readMembers(client: ZooKeeperClient): Promise<void> {
    const members = await client.getChildren(this.o.serviceDir, (event) => {
      if (event.type === EventType.NodeChildrenChanged) this.serialise(() => this.untilRead(client, () => this.readMembers(client)));
    });
    if (client !== this.client) return;
    this.current.members = [...members].sort();
    this.updates++;
    this.record('view', { members: this.current.members });
  }

  private async readConfig(client: ZooKeeperClient): Promise<void> {
    const { data } = await client.getData(this.o.configPath, (event) => {
      if (event.type === EventType.NodeDataChanged) this.serialise(() => this.untilRead(client, () => this.readConfig(client)));
    });
    if (client !== this.client) return;
    const value = data === null ? null : data.toString();
    this.current.config = value;
    if (value !== null) this.configHistory.push(value);
    this.updates++;
    this.record('view', { config: value });
  }

  private record(f: string, value: unknown): void {
    this.o.session.history?.record({ time: this.o.session.elapsedNs(), process: this.o.name, type: 'info', f, value });
  }

  /** Waits until queued re-reads are done. */
  async settled(): Promise<void> {
    await this.pending;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const client = this.client;
    this.client = null;
    if (client) await Promise.race([client.close().catch(() => {}), new Promise((r) => setTimeout(r, 3000).unref())]);
  }
}
