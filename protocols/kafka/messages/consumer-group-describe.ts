import { defineMessage } from '../schema/message-schema.js';

/**
 * ConsumerGroupDescribe (key 69, KIP-848): the consumer-protocol groups' members, epochs and
 * assignments. Flexible from v0; v1 adds the member type (KIP-1099), the request is unchanged.
 * Written from Apache Kafka 4.3.1's message specs.
 */
export const ConsumerGroupDescribeRequest = defineMessage({
  name: 'ConsumerGroupDescribeRequest',
  apiKey: 69,
  type: 'request',
  validVersions: '0-1',
  flexibleVersions: '0+',
  fields: [
    { name: 'groupIds', type: '[]string', versions: '0+' },
    { name: 'includeAuthorizedOperations', type: 'bool', versions: '0+' },
  ],
});

const topicPartitions = [
  { name: 'topicId', type: 'uuid', versions: '0+' },
  { name: 'topicName', type: 'string', versions: '0+' },
  { name: 'partitions', type: '[]int32', versions: '0+' },
] as const;

export const ConsumerGroupDescribeResponse = defineMessage({
  name: 'ConsumerGroupDescribeResponse',
  apiKey: 69,
  type: 'response',
  validVersions: '0-1',
  flexibleVersions: '0+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'groups', type: '[]struct', versions: '0+', fields: [
      { name: 'errorCode', type: 'int16', versions: '0+' },
      { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
      { name: 'groupId', type: 'string', versions: '0+' },
      { name: 'groupState', type: 'string', versions: '0+' },
      { name: 'groupEpoch', type: 'int32', versions: '0+' },
      { name: 'assignmentEpoch', type: 'int32', versions: '0+' },
      { name: 'assignorName', type: 'string', versions: '0+' },
      { name: 'members', type: '[]struct', versions: '0+', fields: [
        { name: 'memberId', type: 'string', versions: '0+' },
        { name: 'instanceId', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
        { name: 'rackId', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
        { name: 'memberEpoch', type: 'int32', versions: '0+' },
        { name: 'clientId', type: 'string', versions: '0+' },
        { name: 'clientHost', type: 'string', versions: '0+' },
        { name: 'subscribedTopicNames', type: '[]string', versions: '0+' },
        { name: 'subscribedTopicRegex', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
        { name: 'assignment', type: 'struct', versions: '0+', fields: [
          { name: 'topicPartitions', type: '[]struct', versions: '0+', fields: topicPartitions },
        ] },
        { name: 'targetAssignment', type: 'struct', versions: '0+', fields: [
          { name: 'topicPartitions', type: '[]struct', versions: '0+', fields: topicPartitions },
        ] },
        { name: 'memberType', type: 'int8', versions: '1+', default: -1, ignorable: true },
      ] },
      { name: 'authorizedOperations', type: 'int32', versions: '0+', default: -2147483648 },
    ] },
  ],
});
