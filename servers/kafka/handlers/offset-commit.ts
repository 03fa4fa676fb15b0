import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { ErrorCode } from '../../../protocols/kafka/error-codes.js';
import { defineHandler } from './api-handler.js';
import { offsetCommitResponse, offsetsToStore } from './offset-commit-partitions.js';

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
    const now = ctx.broker.now();
    if (v === 0) return offsetCommitResponse(req.topics, new Map(), ErrorCode.UNSUPPORTED_VERSION);
    const errors = new Map<string, number>();
    const expireTimestamp = req.retentionTimeMs !== DEFAULT_RETENTION_TIME ? now + Number(req.retentionTimeMs) : undefined;
    const offsets = offsetsToStore(broker, req.topics, errors, (p) => ({
      commitTimestamp: p.commitTimestamp === -1n ? now : Number(p.commitTimestamp),
      expireTimestamp,
    }));
    if (offsets.length > 0) {
      const results = broker.groups.commitOffsets({
        groupId: req.groupId,
        memberId: req.memberId,
        groupInstanceId: req.groupInstanceId,
        generationId: req.generationIdOrMemberEpoch,
        offsets,
        apiVersion: v,
      });
      for (const [k, e] of results) errors.set(k, e);
    }
    return offsetCommitResponse(req.topics, errors);
  },
});
