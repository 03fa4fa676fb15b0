import { defineMessage } from '../schema/message-schema.js';

/**
 * DescribeTransactions (key 65). Flexible from v0.
 * Written from Apache Kafka's message specs (3.9 for old versions, 4.1 for new ones).
 */
export const DescribeTransactionsRequest = defineMessage({
  name: 'DescribeTransactionsRequest',
  apiKey: 65,
  type: 'request',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: [
    { name: 'transactionalIds', type: '[]string', versions: '0+' },
  ],
});

export const DescribeTransactionsResponse = defineMessage({
  name: 'DescribeTransactionsResponse',
  apiKey: 65,
  type: 'response',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'transactionStates', type: '[]struct', versions: '0+', fields: [
      { name: 'errorCode', type: 'int16', versions: '0+' },
      { name: 'transactionalId', type: 'string', versions: '0+' },
      { name: 'transactionState', type: 'string', versions: '0+' },
      { name: 'transactionTimeoutMs', type: 'int32', versions: '0+' },
      { name: 'transactionStartTimeMs', type: 'int64', versions: '0+' },
      { name: 'producerId', type: 'int64', versions: '0+' },
      { name: 'producerEpoch', type: 'int16', versions: '0+' },
      { name: 'topics', type: '[]struct', versions: '0+', fields: [
        { name: 'topic', type: 'string', versions: '0+' },
        { name: 'partitions', type: '[]int32', versions: '0+' },
      ] },
    ] },
  ],
});
