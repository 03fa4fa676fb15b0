import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { defineHandler } from './api-handler.js';

/**
 * ConsumerGroupHeartbeat (KIP-848): join (epoch 0), heartbeat, leave (-1, or -2 for a static
 * member coming back) in one request; the answer carries the member epoch and, when it
 * changed or the request was a full one, the assignment. Served only by a broker mimicking
 * Kafka 4.x (see advertised-versions.ts): otherwise it is not advertised, and the connection
 * refuses it as any API the broker does not have.
 */
export const consumerGroupHeartbeatHandler = defineHandler({
  api: KafkaApis.ConsumerGroupHeartbeat,
  minVersion: 0,
  maxVersion: 1,
  handle: (req, ctx) => {
    const r = ctx.broker.groups.consumer.heartbeat({
      apiVersion: ctx.header.apiVersion,
      groupId: req.groupId,
      memberId: req.memberId,
      memberEpoch: req.memberEpoch,
      instanceId: req.instanceId,
      rackId: req.rackId,
      rebalanceTimeoutMs: req.rebalanceTimeoutMs,
      subscribedTopicNames: req.subscribedTopicNames,
      subscribedTopicRegex: req.subscribedTopicRegex,
      serverAssignor: req.serverAssignor,
      topicPartitions: req.topicPartitions,
      clientId: ctx.header.clientId ?? '',
      clientHost: ctx.clientHost,
    });
    return { throttleTimeMs: 0, ...r };
  },
});
