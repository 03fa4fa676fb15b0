import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { defineHandler } from './api-handler.js';

/**
 * ConsumerGroupDescribe (KIP-848): epochs, assignor, members with their current and target
 * assignments. A classic group or an unknown id is GROUP_ID_NOT_FOUND (the admin client then
 * falls back to DescribeGroups). Served only by a broker mimicking Kafka 4.x (the
 * connection refuses APIs that are not advertised).
 */
export const consumerGroupDescribeHandler = defineHandler({
  api: KafkaApis.ConsumerGroupDescribe,
  minVersion: 0,
  maxVersion: 1,
  handle: (req, ctx) => {
    const groups = ctx.broker.groups;
    return {
      throttleTimeMs: 0,
      groups: req.groupIds.map((groupId) => groups.consumer.describe(groupId, groups.store.get(groupId) !== undefined)),
    };
  },
});
