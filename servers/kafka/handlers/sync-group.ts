import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { ErrorCode } from '../../../protocols/kafka/error-codes.js';
import { syncError } from '../group/group-member.js';
import { defineHandler } from './api-handler.js';

/** From v5 a SyncGroup must name the protocol type and name (Apache refuses it before the coordinator sees it). */
const MANDATORY_PROTOCOL_VERSION = 5;

/** SyncGroup: the leader's assignment is stored and handed to every member; followers park until then. */
export const syncGroupHandler = defineHandler({
  api: KafkaApis.SyncGroup,
  minVersion: 0,
  maxVersion: 5,
  handle: async (req, ctx) => {
    if (ctx.header.apiVersion >= MANDATORY_PROTOCOL_VERSION && (req.protocolType === null || req.protocolName === null)) {
      return { throttleTimeMs: 0, ...syncError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL) };
    }
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
