import { join } from 'node:path';
import type { Logger } from '../../common/logger.js';
import { AppendNotifier } from './append-notifier.js';
import type { BrokerConfig } from './config/broker-config.js';
import type { InternalTopicSpec } from './coordinator/internal-topics.js';
import { GroupCoordinator } from './group/group-coordinator.js';
import { GroupMetadataStore } from './group/group-metadata-store.js';
import { validateTopicConfigs } from './config/topic-config-values.js';
import { type LogConfig, applyTopicConfigs } from './log/log-config.js';
import { LogManager } from './log/log-manager.js';
import type { PartitionLog } from './log/partition-log.js';
import { TopicRegistry, type TopicMetadata } from './metadata/topic-registry.js';
import { writeMetaProperties } from './metadata/meta-properties.js';
import { ProducerIdManager } from './txn/producer-id-manager.js';
import { TransactionCoordinator } from './txn/transaction-coordinator.js';
import { TransactionLog } from './txn/transaction-log.js';
import { isStorageError } from './storage-failure.js';
import { kafkaFaults, skewableWallClock } from './fault-injection.js';

const METADATA_FILE = 'kzbench-metadata.json';

/**
 * Everything the request handlers share: configuration, topic metadata, partition logs, the
 * append notifier and the group and transaction coordinators. Single node: this broker leads
 * every partition (internal topics included, so it coordinates every group and transactional
 * id), the ISR is {self} and the high watermark is the log end offset.
 */
export class BrokerState {
  readonly topics: TopicRegistry;
  readonly logs: LogManager;
  readonly appends = new AppendNotifier();
  /** Leader epoch of every partition: a single node never changes leader. */
  readonly leaderEpoch = 0;
  /** What ApiVersions answers; set by the server from its handlers and `--as-version`. */
  advertisedVersions: Array<{ apiKey: number; minVersion: number; maxVersion: number }> = [];
  readonly groups: GroupCoordinator;
  readonly txns: TransactionCoordinator;
  private failure: Error | null = null;
  /** The broker's wall clock in epoch ms (skewed by the clock nemesis when asked). */
  readonly now: () => number = skewableWallClock(kafkaFaults.clockOffsetFile);
  private readonly failureListeners: Array<(err: Error) => void> = [];

  constructor(
    readonly config: BrokerConfig,
    readonly log: Logger,
  ) {
    this.topics = new TopicRegistry(join(config.logDirs[0]!, METADATA_FILE), config.logDefaults);
    for (const d of config.logDirs) writeMetaProperties(d, config.nodeId, this.topics.clusterId);
    this.logs = new LogManager(config.logDirs, config.schedule, log.child('log'), this.now);
    this.logs.onStorageFailure = (err) => this.storageFailed(err);
    this.logs.loadAll((topic) => this.topics.logConfig(topic));
    // Partitions the metadata knows but whose directories are missing (never written) are created.
    for (const t of this.topics.all()) this.ensureLogs(t);
    const groupStore = new GroupMetadataStore(
      this,
      {
        offsetsTopicPartitions: config.offsetsTopicPartitions,
        offsetsTopicSegmentBytes: config.offsetsTopicSegmentBytes,
        offsetsTopicCompressionType: config.offsetsTopicCompressionType,
      },
      log.child('group'),
    );
    this.groups = new GroupCoordinator(
      groupStore,
      {
        minSessionTimeoutMs: config.groupMinSessionTimeoutMs,
        maxSessionTimeoutMs: config.groupMaxSessionTimeoutMs,
        maxSize: config.groupMaxSize,
        initialRebalanceDelayMs: config.groupInitialRebalanceDelayMs,
        offsetMetadataMaxBytes: config.offsetMetadataMaxBytes,
      },
      log.child('group'),
      this.now,
    );
    const txnLog = new TransactionLog(this, { partitions: config.transactionStateLogPartitions, segmentBytes: config.transactionStateLogSegmentBytes }, log.child('txn'));
    this.txns = new TransactionCoordinator(
      this,
      txnLog,
      new ProducerIdManager(config.logDirs[0]!),
      { maxTimeoutMs: config.transactionMaxTimeoutMs, abortTimedOutIntervalMs: config.transactionAbortTimedOutIntervalMs },
      log.child('txn'),
      this.now,
    );
  }

  /**
   * Loads the coordinators' state from `__consumer_offsets` and `__transaction_state`
   * (groups first: completing a transaction a crash left prepared may apply offsets).
   */
  async loadCoordinators(): Promise<void> {
    await this.groups.store.load(this.now());
    this.groups.onGroupsLoaded();
    await this.txns.load();
    this.txns.startScheduler();
  }

  partitionCount(topic: string): number | undefined {
    return this.topics.get(topic)?.partitions;
  }

  /** Creates an internal topic on first use; later calls do nothing. */
  ensureInternalTopic(spec: InternalTopicSpec): void {
    if (this.topics.get(spec.name)) return;
    this.createTopic(spec.name, spec.partitions, spec.configs);
    this.log.info(`created internal topic ${spec.name} with ${spec.partitions} partition(s)`);
  }

  onOffsetsTxnCompleted(producerId: number, partition: number, commit: boolean): void {
    this.groups.store.onTxnCompleted(producerId, partition, commit);
  }

  get nodeId(): number {
    return this.config.nodeId;
  }

  private ensureLogs(t: TopicMetadata): void {
    const cfg = this.topics.logConfig(t.name)!;
    for (let p = 0; p < t.partitions; p++) if (!this.logs.get(t.name, p)) this.logs.create(t.name, p, cfg);
  }

  partitionLog(topic: string, partition: number): PartitionLog | undefined {
    return this.logs.get(topic, partition);
  }

  /** Validates topic overrides (names, values, their combination) against the broker defaults; throws InvalidConfigError. */
  validateTopicConfigs(configs: Record<string, string>): LogConfig {
    validateTopicConfigs(configs);
    return applyTopicConfigs(this.config.logDefaults, configs);
  }

  createTopic(name: string, partitions: number, configs: Record<string, string>): TopicMetadata {
    const t = this.topics.create(name, partitions, configs);
    this.ensureLogs(t);
    return t;
  }

  deleteTopic(name: string): void {
    const t = this.topics.get(name);
    if (!t) return;
    this.topics.delete(name);
    for (let p = 0; p < t.partitions; p++) this.logs.delete(name, p);
    this.groups.onTopicDeleted(name);
  }

  addPartitions(name: string, count: number): void {
    this.topics.setPartitionCount(name, count);
    this.ensureLogs(this.topics.get(name)!);
  }

  setTopicConfigs(name: string, configs: Record<string, string>): void {
    this.topics.setConfigs(name, configs);
    const cfg = this.topics.logConfig(name)!;
    const t = this.topics.get(name)!;
    for (let p = 0; p < t.partitions; p++) {
      const log = this.logs.get(name, p);
      if (log) log.config = cfg;
    }
  }

  /** Auto-creation as Metadata requests trigger it (auto.create.topics.enable, num.partitions). */
  autoCreate(name: string): TopicMetadata {
    return this.createTopic(name, this.config.numPartitions, {});
  }

  /** The disk error that stopped the broker, if one did. */
  get storageFailure(): Error | null {
    return this.failure;
  }

  /** Runs `fn` once, when a write to the log dir fails (see storageFailed). */
  onStorageFailure(fn: (err: Error) => void): void {
    this.failureListeners.push(fn);
  }

  /**
   * A write to the log dir failed (ENOSPC, EIO, ...): what is on disk past the last good batch
   * is unknown, so the broker stops at once without a clean shutdown, and the next start
   * recovers the logs (truncating a torn tail), as Apache halts when its last log dir fails.
   * Returns true when `err` was such a failure.
   */
  storageFailed(err: unknown): boolean {
    if (!isStorageError(err)) return false;
    if (this.failure !== null) return true;
    this.failure = err;
    this.log.error(`log dir ${this.config.logDirs.join(',')} failed (${err.message}); stopping the broker without a clean shutdown, as Apache halts when every log dir has failed: the logs are recovered at the next start`);
    for (const fn of this.failureListeners) fn(err);
    return true;
  }

  /** After a storage failure: close files without flushing, checkpointing or the clean-shutdown marker. */
  halt(): void {
    this.groups.close();
    this.txns.close();
    this.logs.halt();
  }

  async close(): Promise<void> {
    this.groups.close();
    this.txns.close();
    await this.logs.close();
  }
}
