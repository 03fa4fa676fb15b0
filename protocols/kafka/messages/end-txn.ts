import { defineMessage } from '../schema/message-schema.js';

/**
 * EndTxn (key 26). v3 flexible; v4 error semantics; v5 returns producer id and epoch (KIP-890).
 * Written from Apache Kafka's message specs (3.9 for old versions, 4.1 for new ones).
 */
export const EndTxnRequest = defineMessage({
  name: 'EndTxnRequest',
  apiKey: 26,
  type: 'request',
  validVersions: '0-5',
  flexibleVersions: '3+',
  fields: [
    { name: 'transactionalId', type: 'string', versions: '0+' },
    { name: 'producerId', type: 'int64', versions: '0+' },
    { name: 'producerEpoch', type: 'int16', versions: '0+' },
    { name: 'committed', type: 'bool', versions: '0+' },
  ],
});

export const EndTxnResponse = defineMessage({
  name: 'EndTxnResponse',
  apiKey: 26,
  type: 'response',
  validVersions: '0-5',
  flexibleVersions: '3+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'producerId', type: 'int64', versions: '5+', default: -1n, ignorable: true },
    { name: 'producerEpoch', type: 'int16', versions: '5+', default: -1, ignorable: true },
  ],
});
