import type { Logger } from '../../../common/logger.js';
import { readEndTransactionMarker, ControlRecordType } from '../../../protocols/kafka/records/end-transaction-marker.js';
import { isControl, isTransactional } from '../../../protocols/kafka/records/record-batch-header.js';
import { type CoordinatorLogs, type KeyValue, type TransactionalProducer, appendCoordinatorRecords, readPartitionBatches } from '../coordinator/coordinator-log.js';
import { coordinatorPartitionFor } from '../coordinator/coordinator-partition.js';
import { GROUP_METADATA_TOPIC, type InternalTopicSpec, offsetsTopicSpec } from '../coordinator/internal-topics.js';
import { ClassicGroup, type CommittedOffset, parseTopicPartitionKey, topicPartitionKey } from './classic-group.js';
import { type ConsumerGroupRecord, isConsumerGroupRecordType, readConsumerGroupRecord } from './consumer-group-records.js';
import type { TopicLookup } from './consumer-group-coordinator.js';
import { GroupMember } from './group-member.js';
import { groupMetadataKey, groupMetadataValue, offsetCommitKey, offsetCommitValue, readGroupMetadataValue, readGroupRecordKey, readOffsetCommitValue } from './group-records.js';

export interface GroupStoreHost extends CoordinatorLogs {
  ensureInternalTopic(spec: InternalTopicSpec): void;
  /** Partition count of a topic, or undefined when it does not exist. */
  partitionCount(topic: string): number | undefined;
  /** Topic names and ids, for KIP-848 consumer groups (absent: they see no topics). */
  readonly topics?: TopicLookup;
  /** The broker's server.properties, for the `group.consumer.*` settings. */
  readonly config?: { readonly properties: Record<string, string> };
  /** The broker's disk-failure handler (BrokerState.storageFailed): true when it took the error. */
  storageFailed?(err: unknown): boolean;
}

export interface GroupStoreConfig {
  offsetsTopicPartitions: number;
  offsetsTopicSegmentBytes: number;
  offsetsTopicCompressionType: string;
}

export interface OffsetToStore {
  topic: string;
  partition: number;
  offset: number;
  leaderEpoch: number;
  metadata: string;
  commitTimestamp: number;
  expireTimestamp: number | undefined;
}

/**
 * The groups this coordinator owns and their persistence in `__consumer_offsets` (Apache
 * `GroupMetadataManager`): group metadata and offset commits are written as Apache's
 * key/value records to the group's partition, and the whole topic is replayed at startup,
 * transactional offsets included (applied at their COMMIT marker, dropped at ABORT).
 */
export class GroupMetadataStore {
  readonly groups = new Map<string, ClassicGroup>();
  /** Producer id → groups holding offsets of its open transaction. */
  private readonly openGroupsForProducer = new Map<number, Set<string>>();
  readonly partitions: number;
  /** KIP-848 consumer group records read at load, in log order, for the consumer group coordinator to replay. */
  loadedConsumerGroupRecords: ConsumerGroupRecord[] = [];

  constructor(
    private readonly host: GroupStoreHost,
    private readonly config: GroupStoreConfig,
    private readonly log: Logger,
  ) {
    // An existing topic keeps the partition count it was created with.
    this.partitions = host.partitionCount(GROUP_METADATA_TOPIC) ?? config.offsetsTopicPartitions;
  }

  /** Hands a failed write to the broker's disk-failure handler; true when it was one. */
  storageFailed(err: unknown): boolean {
    return this.host.storageFailed?.(err) ?? false;
  }

  partitionFor(groupId: string): number {
    return coordinatorPartitionFor(groupId, this.partitions);
  }

  /** Creates `__consumer_offsets` on first use, as Apache does on the first FindCoordinator. */
  ensureTopic(): void {
    this.host.ensureInternalTopic(offsetsTopicSpec(this.partitions, this.config.offsetsTopicSegmentBytes, this.config.offsetsTopicCompressionType));
  }

  get(groupId: string): ClassicGroup | undefined {
    return this.groups.get(groupId);
  }

  add(group: ClassicGroup): ClassicGroup {
    const existing = this.groups.get(group.groupId);
    if (existing) return existing;
    this.groups.set(group.groupId, group);
    return group;
  }

  get topicLookup(): TopicLookup {
    return this.host.topics ?? { get: () => undefined, byId: () => undefined };
  }

  get brokerProperties(): Record<string, string> {
    return this.host.config?.properties ?? {};
  }

  /** Appends records of a group to its partition (consumer groups write their own record types). */
  appendRecords(groupId: string, records: KeyValue[], now: number): void {
    if (records.length > 0) this.append(groupId, records, now);
  }

  private append(groupId: string, records: KeyValue[], now: number, producer?: TransactionalProducer): number {
    this.ensureTopic();
    return appendCoordinatorRecords(this.host, GROUP_METADATA_TOPIC, this.partitionFor(groupId), records, now, producer).baseOffset;
  }

  /** Persists the group's generation and members with their assignment (SyncGroup, emptiness). */
  storeGroup(group: ClassicGroup, assignment: Map<string, Buffer>, now: number): void {
    this.append(group.groupId, [{ key: groupMetadataKey(group.groupId), value: groupMetadataValue(group, assignment) }], now);
  }

  /**
   * Writes offset commits and makes them visible: at once for plain commits, at the
   * transaction's COMMIT marker for transactional ones. Throws ProducerStateError when the
   * transactional producer is fenced.
   */
  storeOffsets(group: ClassicGroup, offsets: OffsetToStore[], now: number, producer?: TransactionalProducer): void {
    const records = offsets.map((o) => ({ key: offsetCommitKey(group.groupId, o.topic, o.partition), value: offsetCommitValue(o) }));
    const batchOffset = this.append(group.groupId, records, now, producer);
    if (group.is('Dead')) return;
    for (const o of offsets) {
      const committed: CommittedOffset = { ...o, batchOffset };
      const key = topicPartitionKey(o.topic, o.partition);
      if (producer) {
        let pending = group.pendingTxnOffsets.get(producer.producerId);
        if (!pending) group.pendingTxnOffsets.set(producer.producerId, (pending = new Map()));
        pending.set(key, committed);
      } else {
        group.offsets.set(key, committed);
      }
    }
    if (producer) this.addProducerGroup(producer.producerId, group.groupId);
  }

  private addProducerGroup(producerId: number, groupId: string): void {
    let set = this.openGroupsForProducer.get(producerId);
    if (!set) this.openGroupsForProducer.set(producerId, (set = new Set()));
    set.add(groupId);
  }

  /** A transaction marker reached `__consumer_offsets-partition`: its offsets apply or vanish. */
  onTxnCompleted(producerId: number, partition: number, commit: boolean): void {
    const groups = this.openGroupsForProducer.get(producerId);
    if (!groups) return;
    for (const groupId of [...groups]) {
      if (this.partitionFor(groupId) !== partition) continue;
      this.groups.get(groupId)?.completePendingTxnOffsets(producerId, commit);
      groups.delete(groupId);
    }
    if (groups.size === 0) this.openGroupsForProducer.delete(producerId);
  }

  /**
   * Removes offsets (and, for a Dead group, the group itself), writing tombstones so compaction
   * and the next load forget them. Returns how many offsets were removed.
   */
  removeOffsets(group: ClassicGroup, keys: string[] | 'all', now: number): number {
    const removed = keys === 'all' ? [...group.offsets.keys()] : keys.filter((k) => group.offsets.has(k));
    if (keys === 'all') {
      for (const pending of group.pendingTxnOffsets.values()) for (const k of pending.keys()) if (!removed.includes(k)) removed.push(k);
      group.pendingTxnOffsets.clear();
    }
    for (const k of removed) group.offsets.delete(k);
    const tombstones: KeyValue[] = removed.map((k) => {
      const { topic, partition } = parseTopicPartitionKey(k);
      return { key: offsetCommitKey(group.groupId, topic, partition), value: null };
    });
    if (group.is('Dead')) {
      tombstones.push({ key: groupMetadataKey(group.groupId), value: null });
      this.groups.delete(group.groupId);
    }
    if (tombstones.length > 0) this.append(group.groupId, tombstones, now);
    return removed.length;
  }

  /** Loads every group and its offsets from `__consumer_offsets` (startup). */
  async load(now: number): Promise<void> {
    const partitions = this.host.partitionCount(GROUP_METADATA_TOPIC);
    if (partitions === undefined) return;
    let loaded = 0;
    for (let p = 0; p < partitions; p++) {
      const log = this.host.partitionLog(GROUP_METADATA_TOPIC, p);
      if (!log) continue;
      loaded += await this.loadPartition(log, now);
    }
    if (loaded > 0) this.log.info(`loaded ${loaded} group(s) from ${GROUP_METADATA_TOPIC}`);
  }

  private async loadPartition(log: Parameters<typeof readPartitionBatches>[0], now: number): Promise<number> {
    const offsets = new Map<string, Map<string, CommittedOffset>>();
    const pending = new Map<number, Map<string, Map<string, CommittedOffset>>>();
    const metadata = new Map<string, Buffer>();
    const groupOffsets = (m: Map<string, Map<string, CommittedOffset>>, g: string) => {
      let x = m.get(g);
      if (!x) m.set(g, (x = new Map()));
      return x;
    };
    for await (const batch of readPartitionBatches(log)) {
      if (isControl(batch.attributes)) {
        const record = batch.records[0];
        if (!record) continue;
        const commit = readEndTransactionMarker(record).type === ControlRecordType.commit;
        const byGroup = pending.get(batch.producerId);
        pending.delete(batch.producerId);
        if (!commit || !byGroup) continue;
        for (const [g, tps] of byGroup) {
          const target = groupOffsets(offsets, g);
          for (const [k, c] of tps) {
            const existing = target.get(k);
            if (!existing || existing.batchOffset < c.batchOffset) target.set(k, c);
          }
        }
        continue;
      }
      const txn = isTransactional(batch.attributes);
      for (const r of batch.records) {
        if (r.key === null) continue;
        const key = readGroupRecordKey(r.key);
        if (key.kind === 'offset') {
          const k = topicPartitionKey(key.topic, key.partition);
          if (txn) {
            let byGroup = pending.get(batch.producerId);
            if (!byGroup) pending.set(batch.producerId, (byGroup = new Map()));
            if (r.value === null) groupOffsets(byGroup, key.group).delete(k);
            else groupOffsets(byGroup, key.group).set(k, readOffsetCommitValue(r.value, batch.baseOffset));
          } else if (r.value === null) {
            groupOffsets(offsets, key.group).delete(k);
          } else {
            groupOffsets(offsets, key.group).set(k, readOffsetCommitValue(r.value, batch.baseOffset));
          }
        } else if (key.kind === 'group') {
          if (r.value === null) metadata.delete(key.group);
          else metadata.set(key.group, r.value);
        } else if (isConsumerGroupRecordType(key.version)) {
          this.loadedConsumerGroupRecords.push(readConsumerGroupRecord(r.key, r.value));
        }
      }
    }
    const groupIds = new Set<string>([...metadata.keys(), ...[...offsets].filter(([, m]) => m.size > 0).map(([g]) => g)]);
    for (const byGroup of pending.values()) for (const g of byGroup.keys()) groupIds.add(g);
    for (const groupId of groupIds) {
      const value = metadata.get(groupId);
      const group = value ? this.groupFromMetadata(groupId, value, now) : new ClassicGroup(groupId, 'Empty', now);
      for (const [k, c] of offsets.get(groupId) ?? []) group.offsets.set(k, c);
      for (const [pid, byGroup] of pending) {
        const tps = byGroup.get(groupId);
        if (!tps || tps.size === 0) continue;
        group.pendingTxnOffsets.set(pid, tps);
        this.addProducerGroup(pid, groupId);
      }
      this.groups.set(groupId, group);
    }
    return groupIds.size;
  }

  private groupFromMetadata(groupId: string, raw: Buffer, now: number): ClassicGroup {
    const { version, value } = readGroupMetadataValue(raw);
    const group = new ClassicGroup(groupId, value.members.length === 0 ? 'Empty' : 'Stable', value.currentStateTimestamp >= 0n ? Number(value.currentStateTimestamp) : now);
    group.generationId = value.generation;
    group.protocolType = value.protocolType.length > 0 ? value.protocolType : undefined;
    group.protocolName = value.protocol ?? undefined;
    for (const m of value.members) {
      const member = new GroupMember(
        m.memberId,
        m.groupInstanceId,
        m.clientId,
        m.clientHost,
        version === 0 ? m.sessionTimeout : m.rebalanceTimeout,
        m.sessionTimeout,
        value.protocolType,
        [{ name: value.protocol ?? '', metadata: m.subscription }],
      );
      member.assignment = m.assignment;
      group.add(member);
    }
    group.leaderId = value.leader ?? undefined;
    group.restoreSubscribedTopics();
    return group;
  }
}
