import { defineMessage } from '../schema/message-schema.js';

/**
 * Fetch (key 1). v3 max bytes; v4 isolation level, last stable offset, aborted transactions; v5 log start offset; v7 fetch sessions; v9 current leader epoch; v11 rack id and preferred read replica; v12 flexible and diverging epochs; v13 topic ids instead of names; v15 replica state; v16 node endpoints; v17 replica directory id; v18 high watermark (KIP-1166).
 * Written from Apache Kafka's message specs (3.9 for old versions, 4.1 for new ones).
 */
export const FetchRequest = defineMessage({
  name: 'FetchRequest',
  apiKey: 1,
  type: 'request',
  validVersions: '0-18',
  flexibleVersions: '12+',
  fields: [
    { name: 'clusterId', type: 'string', versions: '12+', nullableVersions: '12+', tag: 0, taggedVersions: '12+', default: null, ignorable: true },
    { name: 'replicaId', type: 'int32', versions: '0-14', default: -1 },
    { name: 'replicaState', type: 'struct', versions: '15+', tag: 1, taggedVersions: '15+', fields: [
      { name: 'replicaId', type: 'int32', versions: '15+', default: -1 },
      { name: 'replicaEpoch', type: 'int64', versions: '15+', default: -1n },
    ] },
    { name: 'maxWaitMs', type: 'int32', versions: '0+' },
    { name: 'minBytes', type: 'int32', versions: '0+' },
    { name: 'maxBytes', type: 'int32', versions: '3+', default: 2147483647, ignorable: true },
    { name: 'isolationLevel', type: 'int8', versions: '4+', default: 0, ignorable: true },
    { name: 'sessionId', type: 'int32', versions: '7+', default: 0, ignorable: true },
    { name: 'sessionEpoch', type: 'int32', versions: '7+', default: -1, ignorable: true },
    { name: 'topics', type: '[]struct', versions: '0+', fields: [
      { name: 'topic', type: 'string', versions: '0-12', ignorable: true },
      { name: 'topicId', type: 'uuid', versions: '13+', ignorable: true },
      { name: 'partitions', type: '[]struct', versions: '0+', fields: [
        { name: 'partition', type: 'int32', versions: '0+' },
        { name: 'currentLeaderEpoch', type: 'int32', versions: '9+', default: -1, ignorable: true },
        { name: 'fetchOffset', type: 'int64', versions: '0+' },
        { name: 'lastFetchedEpoch', type: 'int32', versions: '12+', default: -1 },
        { name: 'logStartOffset', type: 'int64', versions: '5+', default: -1n, ignorable: true },
        { name: 'partitionMaxBytes', type: 'int32', versions: '0+' },
        { name: 'replicaDirectoryId', type: 'uuid', versions: '17+', tag: 0, taggedVersions: '17+', ignorable: true },
        { name: 'highWatermark', type: 'int64', versions: '18+', tag: 1, taggedVersions: '18+', default: 9223372036854775807n, ignorable: true },
      ] },
    ] },
    { name: 'forgottenTopicsData', type: '[]struct', versions: '7+', fields: [
      { name: 'topic', type: 'string', versions: '7-12', ignorable: true },
      { name: 'topicId', type: 'uuid', versions: '13+', ignorable: true },
      { name: 'partitions', type: '[]int32', versions: '7+' },
    ] },
    { name: 'rackId', type: 'string', versions: '11+', default: "", ignorable: true },
  ],
});

export const FetchResponse = defineMessage({
  name: 'FetchResponse',
  apiKey: 1,
  type: 'response',
  validVersions: '0-18',
  flexibleVersions: '12+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+', ignorable: true },
    { name: 'errorCode', type: 'int16', versions: '7+', ignorable: true },
    { name: 'sessionId', type: 'int32', versions: '7+', default: 0 },
    { name: 'responses', type: '[]struct', versions: '0+', fields: [
      { name: 'topic', type: 'string', versions: '0-12', ignorable: true },
      { name: 'topicId', type: 'uuid', versions: '13+', ignorable: true },
      { name: 'partitions', type: '[]struct', versions: '0+', fields: [
        { name: 'partitionIndex', type: 'int32', versions: '0+' },
        { name: 'errorCode', type: 'int16', versions: '0+' },
        { name: 'highWatermark', type: 'int64', versions: '0+' },
        { name: 'lastStableOffset', type: 'int64', versions: '4+', default: -1n, ignorable: true },
        { name: 'logStartOffset', type: 'int64', versions: '5+', default: -1n, ignorable: true },
        { name: 'divergingEpoch', type: 'struct', versions: '12+', tag: 0, taggedVersions: '12+', fields: [
          { name: 'epoch', type: 'int32', versions: '12+', default: -1 },
          { name: 'endOffset', type: 'int64', versions: '12+', default: -1n },
        ] },
        { name: 'currentLeader', type: 'struct', versions: '12+', tag: 1, taggedVersions: '12+', fields: [
          { name: 'leaderId', type: 'int32', versions: '12+', default: -1 },
          { name: 'leaderEpoch', type: 'int32', versions: '12+', default: -1 },
        ] },
        { name: 'snapshotId', type: 'struct', versions: '12+', tag: 2, taggedVersions: '12+', fields: [
          { name: 'endOffset', type: 'int64', versions: '0+', default: -1n },
          { name: 'epoch', type: 'int32', versions: '0+', default: -1 },
        ] },
        { name: 'abortedTransactions', type: '[]struct', versions: '4+', nullableVersions: '4+', ignorable: true, fields: [
          { name: 'producerId', type: 'int64', versions: '4+' },
          { name: 'firstOffset', type: 'int64', versions: '4+' },
        ] },
        { name: 'preferredReadReplica', type: 'int32', versions: '11+', default: -1 },
        { name: 'records', type: 'records', versions: '0+', nullableVersions: '0+' },
      ] },
    ] },
    { name: 'nodeEndpoints', type: '[]struct', versions: '16+', tag: 0, taggedVersions: '16+', fields: [
      { name: 'nodeId', type: 'int32', versions: '16+' },
      { name: 'host', type: 'string', versions: '16+' },
      { name: 'port', type: 'int32', versions: '16+' },
      { name: 'rack', type: 'string', versions: '16+', nullableVersions: '16+', default: null },
    ] },
  ],
});
