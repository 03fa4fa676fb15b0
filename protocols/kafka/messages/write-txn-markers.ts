import { defineMessage } from '../schema/message-schema.js';

/**
 * WriteTxnMarkers (key 27). Broker to broker only; v1 flexible.
 * Written from Apache Kafka's message specs (3.9 for old versions, 4.1 for new ones).
 */
export const WriteTxnMarkersRequest = defineMessage({
  name: 'WriteTxnMarkersRequest',
  apiKey: 27,
  type: 'request',
  validVersions: '0-1',
  flexibleVersions: '1+',
  fields: [
    { name: 'markers', type: '[]struct', versions: '0+', fields: [
      { name: 'producerId', type: 'int64', versions: '0+' },
      { name: 'producerEpoch', type: 'int16', versions: '0+' },
      { name: 'transactionResult', type: 'bool', versions: '0+' },
      { name: 'topics', type: '[]struct', versions: '0+', fields: [
        { name: 'name', type: 'string', versions: '0+' },
        { name: 'partitionIndexes', type: '[]int32', versions: '0+' },
      ] },
      { name: 'coordinatorEpoch', type: 'int32', versions: '0+' },
    ] },
  ],
});

export const WriteTxnMarkersResponse = defineMessage({
  name: 'WriteTxnMarkersResponse',
  apiKey: 27,
  type: 'response',
  validVersions: '0-1',
  flexibleVersions: '1+',
  fields: [
    { name: 'markers', type: '[]struct', versions: '0+', fields: [
      { name: 'producerId', type: 'int64', versions: '0+' },
      { name: 'topics', type: '[]struct', versions: '0+', fields: [
        { name: 'name', type: 'string', versions: '0+' },
        { name: 'partitions', type: '[]struct', versions: '0+', fields: [
          { name: 'partitionIndex', type: 'int32', versions: '0+' },
          { name: 'errorCode', type: 'int16', versions: '0+' },
        ] },
      ] },
    ] },
  ],
});
