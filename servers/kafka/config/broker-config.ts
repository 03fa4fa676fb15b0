import { readFileSync } from 'node:fs';
import { UsageError } from '../../../common/errors.js';
import { type LogConfig, InvalidConfigError, logConfigFromBrokerProperties } from '../log/log-config.js';
import { type LogManagerSchedule, defaultSchedule } from '../log/log-manager.js';
import { parseJavaProperties } from './java-properties.js';

export interface ListenerAddress {
  name: string;
  host: string;
  port: number;
}

/** The broker settings kzbench honours, resolved from server.properties and flags. */
export interface BrokerConfig {
  nodeId: number;
  listener: ListenerAddress;
  advertised: ListenerAddress;
  logDirs: string[];
  numPartitions: number;
  defaultReplicationFactor: number;
  autoCreateTopics: boolean;
  deleteTopicEnable: boolean;
  offsetsTopicPartitions: number;
  offsetsTopicReplicationFactor: number;
  /** offsets.topic.segment.bytes */
  offsetsTopicSegmentBytes: number;
  /** offsets.topic.compression.codec as a compression.type name */
  offsetsTopicCompressionType: string;
  groupInitialRebalanceDelayMs: number;
  groupMinSessionTimeoutMs: number;
  groupMaxSessionTimeoutMs: number;
  groupMaxSize: number;
  offsetMetadataMaxBytes: number;
  transactionStateLogPartitions: number;
  transactionStateLogSegmentBytes: number;
  transactionMaxTimeoutMs: number;
  transactionAbortTimedOutIntervalMs: number;
  /** transaction.partition.verification.enable (KIP-890): transactional writes must be to partitions added to the transaction. */
  transactionPartitionVerification: boolean;
  socketRequestMaxBytes: number;
  logDefaults: LogConfig;
  schedule: LogManagerSchedule;
  /** Limit advertised API versions to an Apache release's (`--as-version`). */
  asVersion?: string;
  /** Every property as given, for DescribeConfigs of the broker resource. */
  properties: Record<string, string>;
}

export interface BrokerConfigOverrides {
  port?: number;
  host?: string;
  logDir?: string;
  asVersion?: string;
}

function num(props: Record<string, string>, key: string, fallback: number): number {
  const raw = props[key];
  if (raw === undefined) return fallback;
  const n = Number(raw.trim());
  if (!Number.isFinite(n)) throw new UsageError('KZ_KAFKA_CONFIG', `${key}=${raw} is not a number; fix server.properties`);
  return n;
}

function bool(props: Record<string, string>, key: string, fallback: boolean): boolean {
  const raw = props[key]?.trim().toLowerCase();
  if (raw === undefined) return fallback;
  if (raw !== 'true' && raw !== 'false') throw new UsageError('KZ_KAFKA_CONFIG', `${key}=${props[key]} must be true or false`);
  return raw === 'true';
}

/** `PLAINTEXT://host:port,CONTROLLER://...` → listeners; an empty host means all interfaces (we bind loopback). */
export function parseListeners(value: string, key: string): ListenerAddress[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const m = /^([A-Za-z0-9_]+):\/\/(\[[^\]]*\]|[^:]*):(\d+)$/.exec(s);
      if (!m) throw new UsageError('KZ_KAFKA_CONFIG', `${key}: cannot parse listener ${JSON.stringify(s)} (expected NAME://host:port)`);
      return { name: m[1]!, host: m[2]!.replace(/^\[|\]$/g, ''), port: Number(m[3]) };
    });
}

/**
 * Resolves server.properties (as a key/value map) and CLI shortcuts into a BrokerConfig.
 * The client listener is `inter.broker.listener.name` or the first non-controller listener,
 * as a combined KRaft node has both.
 */
export function resolveBrokerConfig(props: Record<string, string>, overrides: BrokerConfigOverrides = {}): BrokerConfig {
  const nodeId = num(props, 'node.id', num(props, 'broker.id', 1));
  const controllerNames = new Set((props['controller.listener.names'] ?? '').split(',').map((s) => s.trim()).filter(Boolean));
  const listeners = parseListeners(props.listeners ?? 'PLAINTEXT://127.0.0.1:9092', 'listeners');
  const clientName = props['inter.broker.listener.name'];
  const listener =
    listeners.find((l) => l.name === clientName) ?? listeners.find((l) => !controllerNames.has(l.name)) ?? listeners[0];
  if (!listener) throw new UsageError('KZ_KAFKA_CONFIG', 'listeners names no client listener');
  const bound: ListenerAddress = {
    ...listener,
    host: overrides.host ?? (listener.host === '' || listener.host === '0.0.0.0' ? '127.0.0.1' : listener.host),
    port: overrides.port ?? listener.port,
  };
  const advertisedAll = props['advertised.listeners'] ? parseListeners(props['advertised.listeners'], 'advertised.listeners') : [];
  const adv = advertisedAll.find((l) => l.name === listener.name);
  const advertised: ListenerAddress = adv && overrides.port === undefined ? adv : { ...bound };

  const logDirsRaw = overrides.logDir ?? props['log.dirs'] ?? props['log.dir'] ?? '/tmp/kafka-logs';
  const logDirs = logDirsRaw.split(',').map((s) => s.trim()).filter(Boolean);
  let logDefaults: LogConfig;
  try {
    logDefaults = logConfigFromBrokerProperties(props);
  } catch (err) {
    if (err instanceof InvalidConfigError) throw new UsageError('KZ_KAFKA_CONFIG', `server.properties: ${err.message}`);
    throw err;
  }
  const schedule: LogManagerSchedule = {
    retentionCheckIntervalMs: num(props, 'log.retention.check.interval.ms', defaultSchedule.retentionCheckIntervalMs),
    flushSchedulerIntervalMs: num(props, 'log.flush.scheduler.interval.ms', defaultSchedule.flushSchedulerIntervalMs),
    checkpointIntervalMs: num(props, 'log.flush.offset.checkpoint.interval.ms', defaultSchedule.checkpointIntervalMs),
    cleanerBackoffMs: num(props, 'log.cleaner.backoff.ms', defaultSchedule.cleanerBackoffMs),
    cleanerEnabled: bool(props, 'log.cleaner.enable', defaultSchedule.cleanerEnabled),
    producerIdExpirationMs: num(props, 'producer.id.expiration.ms', defaultSchedule.producerIdExpirationMs),
  };
  return {
    nodeId,
    listener: bound,
    advertised,
    logDirs,
    numPartitions: num(props, 'num.partitions', 1),
    defaultReplicationFactor: num(props, 'default.replication.factor', 1),
    autoCreateTopics: bool(props, 'auto.create.topics.enable', true),
    deleteTopicEnable: bool(props, 'delete.topic.enable', true),
    offsetsTopicPartitions: num(props, 'offsets.topic.num.partitions', 50),
    offsetsTopicReplicationFactor: num(props, 'offsets.topic.replication.factor', 3),
    offsetsTopicSegmentBytes: num(props, 'offsets.topic.segment.bytes', 104_857_600),
    offsetsTopicCompressionType: offsetsCompression(props),
    groupInitialRebalanceDelayMs: num(props, 'group.initial.rebalance.delay.ms', 3000),
    groupMinSessionTimeoutMs: num(props, 'group.min.session.timeout.ms', 6000),
    groupMaxSessionTimeoutMs: num(props, 'group.max.session.timeout.ms', 1_800_000),
    groupMaxSize: num(props, 'group.max.size', 2_147_483_647),
    offsetMetadataMaxBytes: num(props, 'offset.metadata.max.bytes', 4096),
    transactionStateLogPartitions: num(props, 'transaction.state.log.num.partitions', 50),
    transactionStateLogSegmentBytes: num(props, 'transaction.state.log.segment.bytes', 104_857_600),
    transactionMaxTimeoutMs: num(props, 'transaction.max.timeout.ms', 900_000),
    transactionAbortTimedOutIntervalMs: num(props, 'transaction.abort.timed.out.transaction.cleanup.interval.ms', 10_000),
    transactionPartitionVerification: bool(props, 'transaction.partition.verification.enable', true),
    socketRequestMaxBytes: num(props, 'socket.request.max.bytes', 104_857_600),
    logDefaults,
    schedule,
    asVersion: overrides.asVersion,
    properties: { ...props },
  };
}

/** offsets.topic.compression.codec is a codec id (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd); 0 leaves the producer's choice. */
function offsetsCompression(props: Record<string, string>): string {
  const id = num(props, 'offsets.topic.compression.codec', 0);
  const names = ['producer', 'gzip', 'snappy', 'lz4', 'zstd'];
  const name = names[id];
  if (name === undefined) throw new UsageError('KZ_KAFKA_CONFIG', `offsets.topic.compression.codec=${id} is not a codec id (0-4)`);
  return name;
}

export function readServerProperties(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError('KZ_KAFKA_CONFIG', `cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
  return parseJavaProperties(text);
}
