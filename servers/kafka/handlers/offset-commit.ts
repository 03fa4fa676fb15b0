import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { ErrorCode } from '../../../protocols/kafka/error-codes.js';
import { topicPartitionKey } from '../group/classic-group.js';
import type { OffsetToStore } from '../group/group-metadata-store.js';
import { defineHandler } from './api-handler.js';

const DEFAULT_RETENTION_TIME = -1n;

/**
 * OffsetCommit v1+ (v0 stored offsets in ZooKeeper; a KRaft broker answers UNSUPPORTED_VERSION).
 * Partitions of unknown topics get UNKNOWN_TOPIC_OR_PARTITION; the rest go to the group
 * coordinator, which checks member and generation. v1 carries a commit timestamp, v2–4 a
 * retention time (an explicit expiry), v6+ the leader epoch, v7+ the group instance id.
 */
export const offsetCommitHandler = defineHandler({
  api: KafkaApis.OffsetCommit,
  minVersion: 0,
  maxVersion: 9,
  handle: (req, ctx) => {
    const { broker } = ctx;
    const v = ctx.header.apiVersion;
    const now = Date.now();
    const errors = new Map<string, number>();
    const offsets: OffsetToStore[] = [];
    for (const t of req.topics) {
      for (const p of t.partitions) {
        const key = topicPartitionKey(t.name, p.partitionIndex);
        if (v === 0) errors.set(key, ErrorCode.UNSUPPORTED_VERSION);
        else if (!broker.partitionLog(t.name, p.partitionIndex)) errors.set(key, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        else {
          const commitTimestamp = p.commitTimestamp === -1n ? now : Number(p.commitTimestamp);
          offsets.push({
            topic: t.name,
            partition: p.partitionIndex,
            offset: Number(p.committedOffset),
            leaderEpoch: p.committedLeaderEpoch,
            metadata: p.committedMetadata ?? '',
            commitTimestamp,
            expireTimestamp: req.retentionTimeMs !== DEFAULT_RETENTION_TIME ? now + Number(req.retentionTimeMs) : undefined,
          });
        }
      }
    }
    if (offsets.length > 0) {
      const results = broker.groups.commitOffsets({
        groupId: req.groupId,
        memberId: req.memberId,
        groupInstanceId: req.groupInstanceId,
        generationId: req.generationIdOrMemberEpoch,
        offsets,
      });
      for (const [k, e] of results) errors.set(k, e);
    }
    return {
      throttleTimeMs: 0,
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: errors.get(topicPartitionKey(t.name, p.partitionIndex)) ?? ErrorCode.NONE })),
      })),
    };
  },
});
