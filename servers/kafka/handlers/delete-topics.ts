import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { ErrorCode } from '../../../protocols/kafka/error-codes.js';
import { ZERO_UUID } from '../../../protocols/kafka/schema/compile-codec.js';
import { defineHandler } from './api-handler.js';

/** DeleteTopics by name (v0–5) or by name or id (v6); delete.topic.enable=false refuses. */
export const deleteTopicsHandler = defineHandler({
  api: KafkaApis.DeleteTopics,
  minVersion: 0,
  maxVersion: 6,
  handle: (req, ctx) => {
    const { broker } = ctx;
    const wanted: Array<{ name: string | null; topicId: string }> =
      ctx.header.apiVersion >= 6 ? req.topics.map((t) => ({ name: t.name, topicId: t.topicId })) : req.topicNames.map((name) => ({ name, topicId: ZERO_UUID }));
    const responses = wanted.map((w) => {
      const byId = w.topicId !== ZERO_UUID;
      const t = byId ? broker.topics.byId(w.topicId) : w.name !== null ? broker.topics.get(w.name) : undefined;
      if (!t) {
        return { name: w.name, topicId: w.topicId, errorCode: byId ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: null };
      }
      if (!broker.config.deleteTopicEnable) {
        return { name: t.name, topicId: t.id, errorCode: ErrorCode.TOPIC_DELETION_DISABLED, errorMessage: 'Topic deletion is disabled.' };
      }
      broker.deleteTopic(t.name);
      broker.log.info(`deleted topic ${t.name}`);
      return { name: t.name, topicId: t.id, errorCode: ErrorCode.NONE, errorMessage: null };
    });
    return { throttleTimeMs: 0, responses };
  },
});
