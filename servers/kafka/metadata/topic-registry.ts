import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { type LogConfig, applyTopicConfigs } from '../log/log-config.js';
import { randomKafkaUuid } from './uuid.js';

export interface TopicMetadata {
  name: string;
  id: string;
  partitions: number;
  /** Topic-level overrides (`retention.ms`, ...), as given. */
  configs: Record<string, string>;
}

interface RegistryFile {
  version: 1;
  clusterId: string;
  topics: TopicMetadata[];
}

/**
 * The broker's metadata: topics (ids, partition counts, config overrides) and the cluster id.
 * Apache KRaft keeps this in the `__cluster_metadata` log; the reference broker, a single
 * node, keeps one JSON file written atomically (temp file, fsync, rename) before any
 * partition directory changes, so a crash never leaves a directory without its topic.
 */
export class TopicRegistry {
  private readonly topics = new Map<string, TopicMetadata>();
  private readonly ids = new Map<string, TopicMetadata>();
  readonly clusterId: string;

  constructor(
    private readonly path: string,
    private defaults: LogConfig,
  ) {
    let file: RegistryFile | undefined;
    try {
      file = JSON.parse(readFileSync(path, 'utf8')) as RegistryFile;
    } catch {
      file = undefined;
    }
    this.clusterId = file?.clusterId ?? randomKafkaUuid();
    for (const t of file?.topics ?? []) this.index(t);
    if (!file) this.save();
  }

  private index(t: TopicMetadata): void {
    this.topics.set(t.name, t);
    this.ids.set(t.id, t);
  }

  get(name: string): TopicMetadata | undefined {
    return this.topics.get(name);
  }

  byId(id: string): TopicMetadata | undefined {
    return this.ids.get(id);
  }

  all(): TopicMetadata[] {
    return [...this.topics.values()];
  }

  /** The topic's log settings: its overrides over the broker defaults. */
  logConfig(name: string): LogConfig | undefined {
    const t = this.topics.get(name);
    return t ? applyTopicConfigs(this.defaults, t.configs) : undefined;
  }

  create(name: string, partitions: number, configs: Record<string, string>): TopicMetadata {
    const t: TopicMetadata = { name, id: randomKafkaUuid(), partitions, configs: { ...configs } };
    this.index(t);
    this.save();
    return t;
  }

  delete(name: string): void {
    const t = this.topics.get(name);
    if (!t) return;
    this.topics.delete(name);
    this.ids.delete(t.id);
    this.save();
  }

  setConfigs(name: string, configs: Record<string, string>): void {
    const t = this.topics.get(name);
    if (!t) return;
    t.configs = { ...configs };
    this.save();
  }

  setPartitionCount(name: string, partitions: number): void {
    const t = this.topics.get(name);
    if (!t) return;
    t.partitions = partitions;
    this.save();
  }

  private save(): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const data: RegistryFile = { version: 1, clusterId: this.clusterId, topics: this.all() };
    const tmp = `${this.path}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, JSON.stringify(data, null, 1));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path);
  }
}
