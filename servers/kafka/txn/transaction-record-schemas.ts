import { defineMessage } from '../../../protocols/kafka/schema/message-schema.js';

/**
 * The records of `__transaction_state`, from Apache Kafka 3.9's
 * `transaction-coordinator/src/main/resources/common/message/TransactionLog{Key,Value}.json`,
 * stored version-prefixed. 3.9 writes values at version 0 (version 1, flexible, only with
 * transaction.version ≥ 1).
 */
export const TransactionLogKey = defineMessage({
  name: 'TransactionLogKey',
  type: 'data',
  validVersions: '0',
  flexibleVersions: 'none',
  fields: [{ name: 'transactionalId', type: 'string', versions: '0' }],
});

export const TransactionLogValue = defineMessage({
  name: 'TransactionLogValue',
  type: 'data',
  validVersions: '0-1',
  flexibleVersions: '1+',
  fields: [
    { name: 'producerId', type: 'int64', versions: '0+' },
    { name: 'producerEpoch', type: 'int16', versions: '0+' },
    { name: 'transactionTimeoutMs', type: 'int32', versions: '0+' },
    { name: 'transactionStatus', type: 'int8', versions: '0+' },
    { name: 'transactionPartitions', type: '[]struct', versions: '0+', nullableVersions: '0+', fields: [
      { name: 'topic', type: 'string', versions: '0+' },
      { name: 'partitionIds', type: '[]int32', versions: '0+' },
    ] },
    { name: 'transactionLastUpdateTimestampMs', type: 'int64', versions: '0+' },
    { name: 'transactionStartTimestampMs', type: 'int64', versions: '0+' },
  ],
});
