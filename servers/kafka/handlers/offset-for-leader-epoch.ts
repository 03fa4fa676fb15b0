import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { ErrorCode } from '../../../protocols/kafka/error-codes.js';
import { defineHandler } from './api-handler.js';

/**
 * OffsetForLeaderEpoch. A single node has had one leader epoch (0) since each partition was
 * created, so epoch 0 ends at the log end offset; a later epoch is unknown (-1/-1).
 */
export const offsetForLeaderEpochHandler = defineHandler({
  api: KafkaApis.OffsetForLeaderEpoch,
  minVersion: 0,
  maxVersion: 4,
  handle: (req, ctx) => {
    const { broker } = ctx;
    const topics = req.topics.map((t) => ({
      topic: t.topic,
      partitions: t.partitions.map((p) => {
        const base = { partition: p.partition, errorCode: ErrorCode.NONE, leaderEpoch: -1, endOffset: -1n };
        const log = broker.partitionLog(t.topic, p.partition);
        if (!log) return { ...base, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
        if (p.currentLeaderEpoch > broker.leaderEpoch) return { ...base, errorCode: ErrorCode.UNKNOWN_LEADER_EPOCH };
        if (p.currentLeaderEpoch >= 0 && p.currentLeaderEpoch < broker.leaderEpoch) return { ...base, errorCode: ErrorCode.FENCED_LEADER_EPOCH };
        if (p.leaderEpoch > broker.leaderEpoch || p.leaderEpoch < 0) return base;
        return { ...base, leaderEpoch: ctx.header.apiVersion >= 1 ? broker.leaderEpoch : -1, endOffset: BigInt(log.logEndOffset) };
      }),
    }));
    return { throttleTimeMs: 0, topics };
  },
});
