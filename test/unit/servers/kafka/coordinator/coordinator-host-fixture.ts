import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../../../../common/logger.js';
import { AppendNotifier } from '../../../../../servers/kafka/append-notifier.js';
import type { InternalTopicSpec } from '../../../../../servers/kafka/coordinator/internal-topics.js';
import { GroupCoordinator, type GroupCoordinatorConfig } from '../../../../../servers/kafka/group/group-coordinator.js';
import { GroupMetadataStore } from '../../../../../servers/kafka/group/group-metadata-store.js';
import { applyTopicConfigs, defaultLogConfig } from '../../../../../servers/kafka/log/log-config.js';
import { PartitionLog } from '../../../../../servers/kafka/log/partition-log.js';
import type { TransactionCoordinatorHost } from '../../../../../servers/kafka/txn/transaction-coordinator.js';

/**
 * The broker services the coordinators need, with real partition logs in a temp dir and
 * nothing else: topics are created on demand, appends notify nobody in particular.
 */
export class CoordinatorHost implements TransactionCoordinatorHost {
  readonly dir = mkdtempSync(join(tmpdir(), 'kz-coord-'));
  readonly leaderEpoch = 0;
  readonly appends = new AppendNotifier();
  private readonly logs = new Map<string, PartitionLog>();
  private readonly counts = new Map<string, number>();
  onOffsetsTxnCompleted: (producerId: number, partition: number, commit: boolean) => void = () => {};

  createTopic(name: string, partitions: number, configs: Record<string, string> = {}): void {
    if (this.counts.has(name)) return;
    this.counts.set(name, partitions);
    const cfg = applyTopicConfigs(defaultLogConfig, configs);
    for (let p = 0; p < partitions; p++) this.logs.set(`${name}-${p}`, new PartitionLog(join(this.dir, `${name}-${p}`), name, p, cfg));
  }

  ensureInternalTopic(spec: InternalTopicSpec): void {
    this.createTopic(spec.name, spec.partitions, spec.configs);
  }

  partitionCount(topic: string): number | undefined {
    return this.counts.get(topic);
  }

  partitionLog(topic: string, partition: number): PartitionLog | undefined {
    return this.logs.get(`${topic}-${partition}`);
  }

  /** Closes the logs and opens them again (the coordinators' state must then be loaded). */
  reopen(): void {
    for (const [key, log] of this.logs) {
      log.snapshotProducerState();
      log.close();
      this.logs.set(key, new PartitionLog(log.dir, log.topic, log.partition, log.config));
    }
  }

  close(): void {
    for (const log of this.logs.values()) log.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export const groupConfig: GroupCoordinatorConfig = {
  minSessionTimeoutMs: 6000,
  maxSessionTimeoutMs: 1_800_000,
  maxSize: 100,
  initialRebalanceDelayMs: 0,
  offsetMetadataMaxBytes: 4096,
};

export function groupCoordinator(host: CoordinatorHost, config: Partial<GroupCoordinatorConfig> = {}, now: () => number = Date.now): GroupCoordinator {
  const store = new GroupMetadataStore(host, { offsetsTopicPartitions: 3, offsetsTopicSegmentBytes: 1 << 20, offsetsTopicCompressionType: 'producer' }, silentLogger);
  host.onOffsetsTxnCompleted = (pid, p, commit) => store.onTxnCompleted(pid, p, commit);
  return new GroupCoordinator(store, { ...groupConfig, ...config }, silentLogger, now);
}
