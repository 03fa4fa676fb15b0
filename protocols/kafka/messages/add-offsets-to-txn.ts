import { defineMessage } from '../schema/message-schema.js';

/**
 * AddOffsetsToTxn (key 25). v3 flexible; v4 new error semantics.
 * Written from Apache Kafka's message specs (3.9 for old versions, 4.1 for new ones).
 */
export const AddOffsetsToTxnRequest = defineMessage({
  name: 'AddOffsetsToTxnRequest',
  apiKey: 25,
  type: 'request',
  validVersions: '0-4',
  flexibleVersions: '3+',
  fields: [
    { name: 'transactionalId', type: 'string', versions: '0+' },
    { name: 'producerId', type: 'int64', versions: '0+' },
    { name: 'producerEpoch', type: 'int16', versions: '0+' },
    { name: 'groupId', type: 'string', versions: '0+' },
  ],
});

export const AddOffsetsToTxnResponse = defineMessage({
  name: 'AddOffsetsToTxnResponse',
  apiKey: 25,
  type: 'response',
  validVersions: '0-4',
  flexibleVersions: '3+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'errorCode', type: 'int16', versions: '0+' },
  ],
});
