import { defineMessage } from '../schema/message-schema.js';

/**
 * DescribeProducers (key 61). Flexible from v0.
 * Written from Apache Kafka's message specs (3.9 for old versions, 4.1 for new ones).
 */
export const DescribeProducersRequest = defineMessage({
  name: 'DescribeProducersRequest',
  apiKey: 61,
  type: 'request',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: [
    { name: 'topics', type: '[]struct', versions: '0+', fields: [
      { name: 'name', type: 'string', versions: '0+' },
      { name: 'partitionIndexes', type: '[]int32', versions: '0+' },
    ] },
  ],
});

export const DescribeProducersResponse = defineMessage({
  name: 'DescribeProducersResponse',
  apiKey: 61,
  type: 'response',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'topics', type: '[]struct', versions: '0+', fields: [
      { name: 'name', type: 'string', versions: '0+' },
      { name: 'partitions', type: '[]struct', versions: '0+', fields: [
        { name: 'partitionIndex', type: 'int32', versions: '0+' },
        { name: 'errorCode', type: 'int16', versions: '0+' },
        { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
        { name: 'activeProducers', type: '[]struct', versions: '0+', fields: [
          { name: 'producerId', type: 'int64', versions: '0+' },
          { name: 'producerEpoch', type: 'int32', versions: '0+' },
          { name: 'lastSequence', type: 'int32', versions: '0+', default: -1 },
          { name: 'lastTimestamp', type: 'int64', versions: '0+', default: -1n },
          { name: 'coordinatorEpoch', type: 'int32', versions: '0+' },
          { name: 'currentTxnStartOffset', type: 'int64', versions: '0+', default: -1n },
        ] },
      ] },
    ] },
  ],
});
