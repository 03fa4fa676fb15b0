import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { ErrorCode } from '../../../protocols/kafka/error-codes.js';
import type { OffsetFetchResult } from '../group/group-coordinator.js';
import { defineHandler } from './api-handler.js';

function byTopic(results: OffsetFetchResult[]) {
  const topics = new Map<string, Array<{ partitionIndex: number; committedOffset: bigint; committedLeaderEpoch: number; metadata: string; errorCode: number }>>();
  for (const r of results) {
    let list = topics.get(r.topic);
    if (!list) topics.set(r.topic, (list = []));
    list.push({ partitionIndex: r.partition, committedOffset: BigInt(r.offset), committedLeaderEpoch: r.leaderEpoch, metadata: r.metadata, errorCode: r.errorCode });
  }
  return [...topics].map(([name, partitions]) => ({ name, partitions }));
}

/**
 * OffsetFetch v1+ (v0 read ZooKeeper; answered UNSUPPORTED_VERSION). v2+ may ask for all the
 * group's offsets (null topics) and has a top-level error; v7+ RequireStable answers
 * UNSTABLE_OFFSET_COMMIT for partitions with a transactional commit still open; v8+ batches
 * groups.
 */
export const offsetFetchHandler = defineHandler({
  api: KafkaApis.OffsetFetch,
  minVersion: 0,
  maxVersion: 9,
  handle: (req, ctx) => {
    const v = ctx.header.apiVersion;
    const groups = ctx.broker.groups;
    const requireStable = v >= 7 && req.requireStable;
    const wanted = (topics: Array<{ name: string; partitionIndexes: number[] }> | null) =>
      topics === null ? undefined : topics.flatMap((t) => t.partitionIndexes.map((partition) => ({ topic: t.name, partition })));
    if (v >= 8) {
      return {
        throttleTimeMs: 0,
        groups: req.groups.map((g) => {
          // v9: a consumer-protocol member names itself (memberId, memberEpoch), checked like a commit.
          const r = groups.fetchOffsets(g.groupId, requireStable, wanted(g.topics), v >= 9 ? { memberId: g.memberId, memberEpoch: g.memberEpoch } : undefined);
          return { groupId: g.groupId, topics: byTopic(r.results), errorCode: r.errorCode };
        }),
      };
    }
    const partitions = wanted(req.topics);
    if (v === 0) {
      const unsupported = (partitions ?? []).map((tp) => ({ ...tp, offset: -1, leaderEpoch: -1, metadata: '', errorCode: ErrorCode.UNSUPPORTED_VERSION }));
      return { throttleTimeMs: 0, topics: byTopic(unsupported), errorCode: ErrorCode.NONE };
    }
    const r = groups.fetchOffsets(req.groupId, requireStable, partitions);
    // v1 has no top-level error: a group error is reported on every partition.
    const results = v < 2 && r.errorCode !== ErrorCode.NONE ? (partitions ?? []).map((tp) => ({ ...tp, offset: -1, leaderEpoch: -1, metadata: '', errorCode: r.errorCode })) : r.results;
    return { throttleTimeMs: 0, topics: byTopic(results), errorCode: r.errorCode };
  },
});
