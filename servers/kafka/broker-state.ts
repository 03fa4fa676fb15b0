import { join } from 'node:path';
import type { Logger } from '../../common/logger.js';
import { AppendNotifier } from './append-notifier.js';
import type { BrokerConfig } from './config/broker-config.js';
import { type LogConfig, applyTopicConfigs } from './log/log-config.js';
import { LogManager } from './log/log-manager.js';
import type { PartitionLog } from './log/partition-log.js';
import { TopicRegistry, type TopicMetadata } from './metadata/topic-registry.js';
import { writeMetaProperties } from './metadata/meta-properties.js';

const METADATA_FILE = 'kzbench-metadata.json';

/**
 * Everything the request handlers share: configuration, topic metadata, partition logs and
 * the append notifier. Single node: this broker leads every partition, the ISR is {self}
 * and the high watermark is the log end offset.
 */
export class BrokerState {
  readonly topics: TopicRegistry;
  readonly logs: LogManager;
  readonly appends = new AppendNotifier();
  /** Leader epoch of every partition: a single node never changes leader. */
  readonly leaderEpoch = 0;
  /** What ApiVersions answers; set by the server from its handlers and `--as-version`. */
  advertisedVersions: Array<{ apiKey: number; minVersion: number; maxVersion: number }> = [];

  constructor(
    readonly config: BrokerConfig,
    readonly log: Logger,
  ) {
    this.topics = new TopicRegistry(join(config.logDirs[0]!, METADATA_FILE), config.logDefaults);
    for (const d of config.logDirs) writeMetaProperties(d, config.nodeId, this.topics.clusterId);
    this.logs = new LogManager(config.logDirs, config.schedule, log.child('log'));
    this.logs.loadAll((topic) => this.topics.logConfig(topic));
    // Partitions the metadata knows but whose directories are missing (never written) are created.
    for (const t of this.topics.all()) this.ensureLogs(t);
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

  /** Validates topic overrides against the broker defaults; throws InvalidConfigError. */
  validateTopicConfigs(configs: Record<string, string>): LogConfig {
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

  async close(): Promise<void> {
    await this.logs.close();
  }
}
