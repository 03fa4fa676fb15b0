import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { defineHandler } from './api-handler.js';

/**
 * DescribeGroups: state, protocol and members; member metadata and assignments only once the
 * group is Stable. An unknown group is described as Dead without an error, as Apache 3.9 does.
 */
export const describeGroupsHandler = defineHandler({
  api: KafkaApis.DescribeGroups,
  minVersion: 0,
  maxVersion: 5,
  handle: (req, ctx) => ({
    throttleTimeMs: 0,
    groups: req.groups.map((groupId) => {
      const s = ctx.broker.groups.describeGroup(groupId);
      return {
        errorCode: s.errorCode,
        groupId,
        groupState: s.state,
        protocolType: s.protocolType,
        protocolData: s.protocolData,
        members: s.members.map((m) => ({
          memberId: m.memberId,
          groupInstanceId: m.groupInstanceId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          memberMetadata: m.metadata,
          memberAssignment: m.assignment,
        })),
        authorizedOperations: -2147483648,
      };
    }),
  }),
});
