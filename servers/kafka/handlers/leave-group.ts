import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { ErrorCode } from '../../../protocols/kafka/error-codes.js';
import { defineHandler } from './api-handler.js';

/**
 * LeaveGroup: v0–2 name one member; v3+ a batch, each with its own error (static members may
 * be removed by instance id alone). Old versions carry a member's error at the top level.
 */
export const leaveGroupHandler = defineHandler({
  api: KafkaApis.LeaveGroup,
  minVersion: 0,
  maxVersion: 5,
  handle: (req, ctx) => {
    const v = ctx.header.apiVersion;
    const leaving = v >= 3 ? req.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId })) : [{ memberId: req.memberId, groupInstanceId: null }];
    const r = ctx.broker.groups.leaveGroup(req.groupId, leaving);
    if (v >= 3) return { throttleTimeMs: 0, errorCode: r.errorCode, members: r.members };
    const memberError = r.members.find((m) => m.errorCode !== ErrorCode.NONE)?.errorCode ?? ErrorCode.NONE;
    return { throttleTimeMs: 0, errorCode: r.errorCode !== ErrorCode.NONE ? r.errorCode : memberError, members: [] };
  },
});
