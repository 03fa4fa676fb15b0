import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { ErrorCode } from '../../../protocols/kafka/error-codes.js';
import { topicPartitionKey } from '../group/classic-group.js';
import { defineHandler } from './api-handler.js';

/**
 * OffsetDelete: removes committed offsets of an empty group, or of topics a consumer group
 * no longer subscribes to (GROUP_SUBSCRIBED_TO_TOPIC otherwise).
 */
export const offsetDeleteHandler = defineHandler({
  api: KafkaApis.OffsetDelete,
  minVersion: 0,
  maxVersion: 0,
  handle: (req, ctx) => {
    const { broker } = ctx;
    const known: Array<{ topic: string; partition: number }> = [];
    const errors = new Map<string, number>();
    for (const t of req.topics) {
      for (const p of t.partitions) {
        if (broker.partitionLog(t.name, p.partitionIndex)) known.push({ topic: t.name, partition: p.partitionIndex });
        else errors.set(topicPartitionKey(t.name, p.partitionIndex), ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
      }
    }
    const r = broker.groups.deleteOffsets(req.groupId, known);
    if (r.errorCode !== ErrorCode.NONE) return { errorCode: r.errorCode, throttleTimeMs: 0, topics: [] };
    for (const [k, e] of r.partitions) errors.set(k, e);
    return {
      errorCode: ErrorCode.NONE,
      throttleTimeMs: 0,
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: errors.get(topicPartitionKey(t.name, p.partitionIndex)) ?? ErrorCode.NONE })),
      })),
    };
  },
});
