import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { ErrorCode } from '../../../protocols/kafka/error-codes.js';
import { defineHandler } from './api-handler.js';

/** CreatePartitions: only growth; manual assignments may only name this broker. */
export const createPartitionsHandler = defineHandler({
  api: KafkaApis.CreatePartitions,
  minVersion: 0,
  maxVersion: 3,
  handle: (req, ctx) => {
    const { broker } = ctx;
    const results = req.topics.map((t) => {
      const fail = (errorCode: number, errorMessage: string) => ({ name: t.name, errorCode, errorMessage });
      const topic = broker.topics.get(t.name);
      if (!topic) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `The topic '${t.name}' does not exist.`);
      if (t.count <= topic.partitions) {
        return fail(ErrorCode.INVALID_PARTITIONS, `Topic currently has ${topic.partitions} partitions, which is higher than the requested ${t.count}.`);
      }
      if (t.assignments !== null) {
        if (t.assignments.length !== t.count - topic.partitions) return fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `Increasing the number of partitions by ${t.count - topic.partitions} but ${t.assignments.length} assignments provided.`);
        if (t.assignments.some((a) => a.brokerIds.length !== 1 || a.brokerIds[0] !== broker.nodeId)) return fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `Assignments may only name broker ${broker.nodeId}.`);
      }
      if (!req.validateOnly) broker.addPartitions(t.name, t.count);
      return { name: t.name, errorCode: ErrorCode.NONE, errorMessage: null };
    });
    return { throttleTimeMs: 0, results };
  },
});
