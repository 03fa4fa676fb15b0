import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { defineHandler } from './api-handler.js';

/** Heartbeat: keeps the member's session alive; REBALANCE_IN_PROGRESS tells it to rejoin. */
export const heartbeatHandler = defineHandler({
  api: KafkaApis.Heartbeat,
  minVersion: 0,
  maxVersion: 4,
  handle: (req, ctx) => ({
    throttleTimeMs: 0,
    errorCode: ctx.broker.groups.heartbeat(req.groupId, req.memberId, req.groupInstanceId, req.generationId),
  }),
});
