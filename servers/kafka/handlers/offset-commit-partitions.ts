import { ErrorCode } from '../../../protocols/kafka/error-codes.js';
import type { BrokerState } from '../broker-state.js';
import { topicPartitionKey } from '../group/classic-group.js';
import type { OffsetToStore } from '../group/group-metadata-store.js';

/** A partition of an OffsetCommit or TxnOffsetCommit request (the fields both carry). */
export interface CommittedPartition {
  partitionIndex: number;
  committedOffset: bigint;
  committedLeaderEpoch: number;
  committedMetadata: string | null;
}

export interface CommittedTopic<P extends CommittedPartition> {
  name: string;
  partitions: readonly P[];
}

/**
 * The offsets a commit (plain or transactional) asks to store, for the partitions that
 * exist; a partition of an unknown topic gets UNKNOWN_TOPIC_OR_PARTITION in `errors` and is
 * not stored. The two commits differ only in their timestamps.
 */
export function offsetsToStore<P extends CommittedPartition>(
  broker: BrokerState,
  topics: readonly CommittedTopic<P>[],
  errors: Map<string, number>,
  timestamps: (p: P) => Pick<OffsetToStore, 'commitTimestamp' | 'expireTimestamp'>,
): OffsetToStore[] {
  const offsets: OffsetToStore[] = [];
  for (const t of topics) {
    for (const p of t.partitions) {
      if (!broker.partitionLog(t.name, p.partitionIndex)) errors.set(topicPartitionKey(t.name, p.partitionIndex), ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
      else
        offsets.push({
          topic: t.name,
          partition: p.partitionIndex,
          offset: Number(p.committedOffset),
          leaderEpoch: p.committedLeaderEpoch,
          metadata: p.committedMetadata ?? '',
          ...timestamps(p),
        });
    }
  }
  return offsets;
}

/** The response of either commit: every requested partition with its error in `errors`, `otherwise` where it has none. */
export function offsetCommitResponse(topics: readonly CommittedTopic<CommittedPartition>[], errors: ReadonlyMap<string, number>, otherwise: number = ErrorCode.NONE) {
  return {
    throttleTimeMs: 0,
    topics: topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: errors.get(topicPartitionKey(t.name, p.partitionIndex)) ?? otherwise })),
    })),
  };
}
