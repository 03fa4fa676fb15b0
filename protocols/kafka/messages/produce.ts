import { defineMessage } from '../schema/message-schema.js';

/**
 * Produce (key 0). v3 transactional id and record batch v2; v5 log start offset; v8 per-record errors; v9 flexible; v10 current leader hints (KIP-951); v11/v12 same wire format (KIP-890 server-side verification); v13 addresses topics by id. Kafka 4.x removed v0-2 from its spec (though it still advertises Produce min 0, see the notes).
 * Written from Apache Kafka's message specs (3.9 for old versions, 4.1 for new ones).
 */
export const ProduceRequest = defineMessage({
  name: 'ProduceRequest',
  apiKey: 0,
  type: 'request',
  validVersions: '0-13',
  flexibleVersions: '9+',
  fields: [
    { name: 'transactionalId', type: 'string', versions: '3+', nullableVersions: '3+', default: null },
    { name: 'acks', type: 'int16', versions: '0+' },
    { name: 'timeoutMs', type: 'int32', versions: '0+' },
    { name: 'topicData', type: '[]struct', versions: '0+', fields: [
      { name: 'name', type: 'string', versions: '0-12', ignorable: true },
      { name: 'topicId', type: 'uuid', versions: '13+', ignorable: true },
      { name: 'partitionData', type: '[]struct', versions: '0+', fields: [
        { name: 'index', type: 'int32', versions: '0+' },
        { name: 'records', type: 'records', versions: '0+', nullableVersions: '0+' },
      ] },
    ] },
  ],
});

export const ProduceResponse = defineMessage({
  name: 'ProduceResponse',
  apiKey: 0,
  type: 'response',
  validVersions: '0-13',
  flexibleVersions: '9+',
  fields: [
    { name: 'responses', type: '[]struct', versions: '0+', fields: [
      { name: 'name', type: 'string', versions: '0-12', ignorable: true },
      { name: 'topicId', type: 'uuid', versions: '13+', ignorable: true },
      { name: 'partitionResponses', type: '[]struct', versions: '0+', fields: [
        { name: 'index', type: 'int32', versions: '0+' },
        { name: 'errorCode', type: 'int16', versions: '0+' },
        { name: 'baseOffset', type: 'int64', versions: '0+' },
        { name: 'logAppendTimeMs', type: 'int64', versions: '2+', default: -1n, ignorable: true },
        { name: 'logStartOffset', type: 'int64', versions: '5+', default: -1n, ignorable: true },
        { name: 'recordErrors', type: '[]struct', versions: '8+', ignorable: true, fields: [
          { name: 'batchIndex', type: 'int32', versions: '8+' },
          { name: 'batchIndexErrorMessage', type: 'string', versions: '8+', nullableVersions: '8+', default: null },
        ] },
        { name: 'errorMessage', type: 'string', versions: '8+', nullableVersions: '8+', default: null, ignorable: true },
        { name: 'currentLeader', type: 'struct', versions: '10+', tag: 0, taggedVersions: '10+', fields: [
          { name: 'leaderId', type: 'int32', versions: '10+', default: -1 },
          { name: 'leaderEpoch', type: 'int32', versions: '10+', default: -1 },
        ] },
      ] },
    ] },
    { name: 'throttleTimeMs', type: 'int32', versions: '1+', default: 0, ignorable: true },
    { name: 'nodeEndpoints', type: '[]struct', versions: '10+', tag: 0, taggedVersions: '10+', fields: [
      { name: 'nodeId', type: 'int32', versions: '10+' },
      { name: 'host', type: 'string', versions: '10+' },
      { name: 'port', type: 'int32', versions: '10+' },
      { name: 'rack', type: 'string', versions: '10+', nullableVersions: '10+', default: null },
    ] },
  ],
});
