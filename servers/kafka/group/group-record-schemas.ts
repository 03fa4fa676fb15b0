import { defineMessage } from '../../../protocols/kafka/schema/message-schema.js';

/**
 * The records the group coordinator keeps in `__consumer_offsets`, from Apache Kafka 3.9's
 * `group-coordinator/src/main/resources/common/message/*.json`. Keys and values are stored
 * version-prefixed (an int16 version, then the struct): key versions 0–1 are offset commits,
 * key version 2 is group metadata.
 */
export const OffsetCommitKey = defineMessage({
  name: 'OffsetCommitKey',
  type: 'data',
  validVersions: '0-1',
  flexibleVersions: 'none',
  fields: [
    { name: 'group', type: 'string', versions: '0-1' },
    { name: 'topic', type: 'string', versions: '0-1' },
    { name: 'partition', type: 'int32', versions: '0-1' },
  ],
});

export const OffsetCommitValue = defineMessage({
  name: 'OffsetCommitValue',
  type: 'data',
  validVersions: '0-4',
  flexibleVersions: '4+',
  fields: [
    { name: 'offset', type: 'int64', versions: '0+' },
    { name: 'leaderEpoch', type: 'int32', versions: '3+', default: -1, ignorable: true },
    { name: 'metadata', type: 'string', versions: '0+' },
    { name: 'commitTimestamp', type: 'int64', versions: '0+' },
    { name: 'expireTimestamp', type: 'int64', versions: '1', default: -1n, ignorable: true },
  ],
});

export const GroupMetadataKey = defineMessage({
  name: 'GroupMetadataKey',
  type: 'data',
  validVersions: '2',
  flexibleVersions: 'none',
  fields: [{ name: 'group', type: 'string', versions: '2' }],
});

export const GroupMetadataValue = defineMessage({
  name: 'GroupMetadataValue',
  type: 'data',
  validVersions: '0-4',
  flexibleVersions: '4+',
  fields: [
    { name: 'protocolType', type: 'string', versions: '0+' },
    { name: 'generation', type: 'int32', versions: '0+' },
    { name: 'protocol', type: 'string', versions: '0+', nullableVersions: '0+' },
    { name: 'leader', type: 'string', versions: '0+', nullableVersions: '0+' },
    { name: 'currentStateTimestamp', type: 'int64', versions: '2+', default: -1n, ignorable: true },
    { name: 'members', type: '[]struct', versions: '0+', fields: [
      { name: 'memberId', type: 'string', versions: '0+' },
      { name: 'groupInstanceId', type: 'string', versions: '3+', nullableVersions: '3+', default: null, ignorable: true },
      { name: 'clientId', type: 'string', versions: '0+' },
      { name: 'clientHost', type: 'string', versions: '0+' },
      { name: 'rebalanceTimeout', type: 'int32', versions: '1+', default: -1, ignorable: true },
      { name: 'sessionTimeout', type: 'int32', versions: '0+' },
      { name: 'subscription', type: 'bytes', versions: '0+' },
      { name: 'assignment', type: 'bytes', versions: '0+' },
    ] },
  ],
});
