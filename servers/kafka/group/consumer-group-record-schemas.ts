import { defineMessage } from '../../../protocols/kafka/schema/message-schema.js';

/**
 * The records Apache Kafka 4.x's group coordinator keeps in `__consumer_offsets` for
 * consumer-protocol groups (`group-coordinator/src/main/resources/common/message/
 * ConsumerGroup*.json`, read from the 4.3.1 jar). A key is its record type as an int16 (3, 5,
 * 6, 7, 8 below), then the key struct at version 0; a value is version-prefixed (version 0,
 * flexible). Of the tagged fields Apache added later only AssignmentEpochs (4.3: the member
 * epoch at which each partition was received) is written; MetadataHash, AssignmentTimestamp
 * and ClassicMemberMetadata are not, and readers skip unknown tags.
 */
export const ConsumerGroupRecordType = {
  groupMetadata: 3,
  memberMetadata: 5,
  targetAssignmentMetadata: 6,
  targetAssignmentMember: 7,
  currentMemberAssignment: 8,
} as const;

const groupKey = [{ name: 'groupId', type: 'string', versions: '0' }] as const;
const memberKey = [...groupKey, { name: 'memberId', type: 'string', versions: '0' }] as const;
const topicPartitions = [
  { name: 'topicId', type: 'uuid', versions: '0+' },
  { name: 'partitions', type: '[]int32', versions: '0+' },
] as const;

export const ConsumerGroupGroupKey = defineMessage({ name: 'ConsumerGroupGroupKey', type: 'data', validVersions: '0', flexibleVersions: 'none', fields: groupKey });
export const ConsumerGroupMemberKey = defineMessage({ name: 'ConsumerGroupMemberKey', type: 'data', validVersions: '0', flexibleVersions: 'none', fields: memberKey });

export const ConsumerGroupMetadataValue = defineMessage({
  name: 'ConsumerGroupMetadataValue',
  type: 'data',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: [{ name: 'epoch', type: 'int32', versions: '0+' }],
});

export const ConsumerGroupMemberMetadataValue = defineMessage({
  name: 'ConsumerGroupMemberMetadataValue',
  type: 'data',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: [
    { name: 'instanceId', type: 'string', versions: '0+', nullableVersions: '0+' },
    { name: 'rackId', type: 'string', versions: '0+', nullableVersions: '0+' },
    { name: 'clientId', type: 'string', versions: '0+' },
    { name: 'clientHost', type: 'string', versions: '0+' },
    { name: 'subscribedTopicNames', type: '[]string', versions: '0+' },
    { name: 'subscribedTopicRegex', type: 'string', versions: '0+', nullableVersions: '0+' },
    { name: 'rebalanceTimeoutMs', type: 'int32', versions: '0+', default: -1 },
    { name: 'serverAssignor', type: 'string', versions: '0+', nullableVersions: '0+' },
  ],
});

export const ConsumerGroupTargetAssignmentMetadataValue = defineMessage({
  name: 'ConsumerGroupTargetAssignmentMetadataValue',
  type: 'data',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: [{ name: 'assignmentEpoch', type: 'int32', versions: '0+' }],
});

export const ConsumerGroupTargetAssignmentMemberValue = defineMessage({
  name: 'ConsumerGroupTargetAssignmentMemberValue',
  type: 'data',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: [{ name: 'topicPartitions', type: '[]struct', versions: '0+', fields: topicPartitions }],
});

const topicPartitionsWithEpochs = [
  ...topicPartitions,
  { name: 'assignmentEpochs', type: '[]int32', versions: '0+', nullableVersions: '0+', tag: 0, taggedVersions: '0+', default: null, ignorable: true },
] as const;

export const ConsumerGroupCurrentMemberAssignmentValue = defineMessage({
  name: 'ConsumerGroupCurrentMemberAssignmentValue',
  type: 'data',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: [
    { name: 'memberEpoch', type: 'int32', versions: '0+' },
    { name: 'previousMemberEpoch', type: 'int32', versions: '0+' },
    { name: 'state', type: 'int8', versions: '0+' },
    { name: 'assignedPartitions', type: '[]struct', versions: '0+', fields: topicPartitionsWithEpochs },
    { name: 'partitionsPendingRevocation', type: '[]struct', versions: '0+', fields: topicPartitionsWithEpochs },
  ],
});
