import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { defineHandler } from './api-handler.js';

/** SyncGroup: the leader's assignment is stored and handed to every member; followers park until then. */
export const syncGroupHandler = defineHandler({
  api: KafkaApis.SyncGroup,
  minVersion: 0,
  maxVersion: 5,
  handle: async (req, ctx) => {
    const r = await ctx.broker.groups.syncGroup({
      groupId: req.groupId,
      generationId: req.generationId,
      memberId: req.memberId,
      groupInstanceId: req.groupInstanceId,
      protocolType: req.protocolType,
      protocolName: req.protocolName,
      assignments: new Map(req.assignments.map((a) => [a.memberId, a.assignment])),
    });
    return { throttleTimeMs: 0, ...r };
  },
});
