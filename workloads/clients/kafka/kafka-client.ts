import { setTimeout as sleep } from 'node:timers/promises';
import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { ErrorCode } from '../../../protocols/kafka/error-codes.js';
import { ZERO_UUID } from '../../../protocols/kafka/schema/compile-codec.js';
import { KafkaConnectionError, KafkaResponseError } from './client-errors.js';
import { KafkaConnection } from './kafka-connection.js';

export interface KafkaClientOptions {
  /** "host:port" or a list / comma-separated list of them. */
  bootstrap: string | string[];
  clientId?: string;
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
}

export interface BrokerAddress {
  nodeId: number;
  host: string;
  port: number;
}

export interface PartitionInfo {
  partition: number;
  leaderId: number;
  leaderEpoch: number;
}

export interface TopicInfo {
  name: string;
  /** Kafka's base64url topic id; ZERO_UUID when the broker has none (pre-2.8 or a minimal broker). */
  topicId: string;
  partitions: PartitionInfo[];
}

/** The Metadata version we ask for: v12 has topic ids and everything this client reads. */
const METADATA_VERSION_CAP = 12;

function parseBootstrap(bootstrap: string | string[]): Array<{ host: string; port: number }> {
  const list = (Array.isArray(bootstrap) ? bootstrap : bootstrap.split(',')).map((s) => s.trim()).filter(Boolean);
  return list.map((hp) => {
    const i = hp.lastIndexOf(':');
    const port = Number(hp.slice(i + 1));
    if (i <= 0 || !Number.isInteger(port) || port <= 0) throw new KafkaConnectionError(`invalid bootstrap address ${JSON.stringify(hp)} (expected host:port)`);
    return { host: hp.slice(0, i), port };
  });
}

/**
 * Cluster view shared by the producer and the fetcher: bootstrap, broker addresses and
 * partition leaders from Metadata, one connection per broker and purpose (so the producer's
 * pipelined Produce requests never queue behind a consumer's long-poll Fetch), and the few
 * admin calls a benchmark needs.
 */
export class KafkaClient {
  readonly brokers = new Map<number, BrokerAddress>();
  readonly topics = new Map<string, TopicInfo>();
  private readonly connections = new Map<string, Promise<KafkaConnection>>();
  private bootstrapConnection: KafkaConnection | null = null;
  controllerId = -1;
  clusterId: string | null = null;

  private constructor(private readonly opts: KafkaClientOptions) {}

  static async connect(opts: KafkaClientOptions): Promise<KafkaClient> {
    const client = new KafkaClient(opts);
    let lastError: unknown;
    for (const addr of parseBootstrap(opts.bootstrap)) {
      try {
        client.bootstrapConnection = await KafkaConnection.connect({ ...addr, ...client.connOptions() });
        await client.refreshMetadata([]);
        return client;
      } catch (err) {
        lastError = err;
        client.bootstrapConnection?.close();
        client.bootstrapConnection = null;
      }
    }
    throw new KafkaConnectionError(`no bootstrap broker of ${JSON.stringify(opts.bootstrap)} is reachable: ${(lastError as Error)?.message}`, {
      cause: lastError,
    });
  }

  private connOptions() {
    return { clientId: this.opts.clientId, connectTimeoutMs: this.opts.connectTimeoutMs, requestTimeoutMs: this.opts.requestTimeoutMs };
  }

  /** A live connection for metadata and admin requests. */
  async anyConnection(): Promise<KafkaConnection> {
    if (this.bootstrapConnection && !this.bootstrapConnection.closed) return this.bootstrapConnection;
    const first = this.brokers.values().next().value as BrokerAddress | undefined;
    if (!first) throw new KafkaConnectionError('no broker known');
    this.bootstrapConnection = await this.connectionTo(first.nodeId, 'admin');
    return this.bootstrapConnection;
  }

  /** The connection to broker `nodeId` for `purpose` (one socket per broker and purpose). */
  connectionTo(nodeId: number, purpose = 'default'): Promise<KafkaConnection> {
    const key = `${nodeId}/${purpose}`;
    const existing = this.connections.get(key);
    if (existing) {
      return existing.then((c) => {
        if (!c.closed) return c;
        this.connections.delete(key);
        return this.connectionTo(nodeId, purpose);
      });
    }
    const broker = this.brokers.get(nodeId);
    if (!broker) return Promise.reject(new KafkaConnectionError(`unknown broker ${nodeId}; refresh metadata first`));
    const conn = KafkaConnection.connect({ host: broker.host, port: broker.port, ...this.connOptions() });
    this.connections.set(key, conn);
    conn.catch(() => this.connections.delete(key));
    return conn;
  }

  /** Refresh broker and topic metadata; `topics` null = all topics, [] = brokers only. */
  async refreshMetadata(topics: string[] | null): Promise<void> {
    const conn = await this.anyConnection();
    const version = conn.versionFor(KafkaApis.Metadata, METADATA_VERSION_CAP);
    const res = await conn.request(
      KafkaApis.Metadata,
      {
        topics: topics === null ? null : topics.map((name) => ({ name })),
        allowAutoTopicCreation: false,
      },
      version,
    );
    this.brokers.clear();
    for (const b of res.brokers) this.brokers.set(b.nodeId, { nodeId: b.nodeId, host: b.host, port: b.port });
    this.controllerId = res.controllerId;
    this.clusterId = res.clusterId;
    for (const t of res.topics) {
      if (t.name === null) continue;
      if (t.errorCode !== 0) {
        this.topics.delete(t.name);
        continue;
      }
      this.topics.set(t.name, {
        name: t.name,
        topicId: t.topicId,
        partitions: t.partitions
          .map((p) => ({ partition: p.partitionIndex, leaderId: p.errorCode === 0 ? p.leaderId : -1, leaderEpoch: p.leaderEpoch }))
          .sort((a, b) => a.partition - b.partition),
      });
    }
  }

  /** Metadata of `name`, refreshed when unknown or when a partition has no leader. */
  async topic(name: string): Promise<TopicInfo> {
    let t = this.topics.get(name);
    if (!t || t.partitions.some((p) => p.leaderId < 0)) {
      await this.refreshMetadata([name]);
      t = this.topics.get(name);
    }
    if (!t) throw new KafkaResponseError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic ${name}`);
    return t;
  }

  /** True when the broker gave real topic ids (needed for Fetch v13+ and Produce v13+). */
  hasTopicIds(name: string): boolean {
    const t = this.topics.get(name);
    return t !== undefined && t.topicId !== ZERO_UUID;
  }

  /**
   * Create a topic and wait until every partition has a leader. With `ifNotExists`, an
   * existing topic is fine.
   */
  async createTopic(
    name: string,
    opts: { partitions?: number; replicationFactor?: number; configs?: Record<string, string>; ifNotExists?: boolean; timeoutMs?: number } = {},
  ): Promise<TopicInfo> {
    const conn = await this.controllerConnection();
    const timeoutMs = opts.timeoutMs ?? 30_000;
    const res = await conn.request(KafkaApis.CreateTopics, {
      topics: [
        {
          name,
          numPartitions: opts.partitions ?? 1,
          replicationFactor: opts.replicationFactor ?? 1,
          assignments: [],
          configs: Object.entries(opts.configs ?? {}).map(([n, value]) => ({ name: n, value })),
        },
      ],
      timeoutMs,
    });
    const r = res.topics[0];
    if (!r) throw new KafkaConnectionError(`CreateTopics for ${name} returned no result`);
    if (r.errorCode !== 0 && !(opts.ifNotExists && r.errorCode === ErrorCode.TOPIC_ALREADY_EXISTS)) {
      throw new KafkaResponseError(r.errorCode, `creating topic ${name}`, r.errorMessage);
    }
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.refreshMetadata([name]);
      const t = this.topics.get(name);
      if (t && t.partitions.length > 0 && t.partitions.every((p) => p.leaderId >= 0)) return t;
      if (Date.now() > deadline) throw new KafkaConnectionError(`topic ${name} has no leaders after ${timeoutMs} ms`);
      await sleep(50);
    }
  }

  async deleteTopic(name: string, timeoutMs = 30_000): Promise<void> {
    const conn = await this.controllerConnection();
    const version = conn.versionFor(KafkaApis.DeleteTopics);
    // v6 names topics in structs (so they can be deleted by id); earlier versions use a string list.
    const body = version >= 6 ? { topics: [{ name }], timeoutMs } : { topicNames: [name], timeoutMs };
    const res = await conn.request(KafkaApis.DeleteTopics, body, version);
    const r = res.responses[0];
    if (r && r.errorCode !== 0) throw new KafkaResponseError(r.errorCode, `deleting topic ${name}`, r.errorMessage);
    this.topics.delete(name);
  }

  /** Admin requests go to the controller Metadata reports (any broker forwards in KRaft). */
  private async controllerConnection() {
    if (this.controllerId >= 0 && this.brokers.has(this.controllerId)) return this.connectionTo(this.controllerId, 'admin');
    return this.anyConnection();
  }

  async close(): Promise<void> {
    this.bootstrapConnection?.close();
    const all = [...this.connections.values()];
    this.connections.clear();
    for (const c of await Promise.allSettled(all)) if (c.status === 'fulfilled') c.value.close();
  }
}
