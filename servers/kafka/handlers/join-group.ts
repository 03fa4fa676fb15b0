import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { defineHandler } from './api-handler.js';

/**
 * JoinGroup: parks until the rebalance completes (or answers at once). v0 has no rebalance
 * timeout (the session timeout stands in); v4+ dynamic members first get MEMBER_ID_REQUIRED
 * with their id (KIP-394); v5+ static members; v7+ protocol type and nullable name; v9
 * skip-assignment for a returning static leader.
 */
export const joinGroupHandler = defineHandler({
  api: KafkaApis.JoinGroup,
  minVersion: 0,
  maxVersion: 9,
  handle: async (req, ctx) => {
    const v = ctx.header.apiVersion;
    const r = await ctx.broker.groups.joinGroup({
      groupId: req.groupId,
      memberId: req.memberId,
      groupInstanceId: req.groupInstanceId,
      requireKnownMemberId: v >= 4 && req.groupInstanceId === null,
      supportSkippingAssignment: v >= 9,
      clientId: ctx.header.clientId ?? '',
      clientHost: ctx.clientHost,
      rebalanceTimeoutMs: v === 0 ? req.sessionTimeoutMs : req.rebalanceTimeoutMs,
      sessionTimeoutMs: req.sessionTimeoutMs,
      protocolType: req.protocolType,
      protocols: req.protocols.map((p) => ({ name: p.name, metadata: p.metadata })),
    });
    return {
      throttleTimeMs: 0,
      errorCode: r.errorCode,
      generationId: r.generationId,
      protocolType: v >= 7 ? r.protocolType : null,
      protocolName: v >= 7 ? r.protocolName : (r.protocolName ?? ''),
      leader: r.leader,
      skipAssignment: r.skipAssignment,
      memberId: r.memberId,
      members: r.members,
    };
  },
});
