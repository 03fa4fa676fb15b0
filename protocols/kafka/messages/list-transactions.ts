import { defineMessage } from '../schema/message-schema.js';

/**
 * ListTransactions (key 66). Flexible from v0; v1 duration filter; v2 transactional id pattern.
 * Written from Apache Kafka's message specs (3.9 for old versions, 4.1 for new ones).
 */
export const ListTransactionsRequest = defineMessage({
  name: 'ListTransactionsRequest',
  apiKey: 66,
  type: 'request',
  validVersions: '0-2',
  flexibleVersions: '0+',
  fields: [
    { name: 'stateFilters', type: '[]string', versions: '0+' },
    { name: 'producerIdFilters', type: '[]int64', versions: '0+' },
    { name: 'durationFilter', type: 'int64', versions: '1+', default: -1n },
    { name: 'transactionalIdPattern', type: 'string', versions: '2+', nullableVersions: '2+', default: null },
  ],
});

export const ListTransactionsResponse = defineMessage({
  name: 'ListTransactionsResponse',
  apiKey: 66,
  type: 'response',
  validVersions: '0-2',
  flexibleVersions: '0+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'unknownStateFilters', type: '[]string', versions: '0+' },
    { name: 'transactionStates', type: '[]struct', versions: '0+', fields: [
      { name: 'transactionalId', type: 'string', versions: '0+' },
      { name: 'producerId', type: 'int64', versions: '0+' },
      { name: 'transactionState', type: 'string', versions: '0+' },
    ] },
  ],
});
