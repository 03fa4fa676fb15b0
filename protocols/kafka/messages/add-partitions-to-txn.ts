import { defineMessage } from '../schema/message-schema.js';

/**
 * AddPartitionsToTxn (key 24). v3 flexible; v4 batches transactions for brokers (KIP-890) and renames the v0-3 fields.
 * Written from Apache Kafka's message specs (3.9 for old versions, 4.1 for new ones).
 */
/** A topic and its partitions; shared by the v4+ batched form and the v0-3 form. */
const addPartitionsToTxnTopic = [
  { name: 'name', type: 'string', versions: '0+' },
  { name: 'partitions', type: '[]int32', versions: '0+' },
] as const;

/** Per-topic results; shared by the v4+ and v0-3 response forms. */
const addPartitionsToTxnTopicResult = [
  { name: 'name', type: 'string', versions: '0+' },
  { name: 'resultsByPartition', type: '[]struct', versions: '0+', fields: [
    { name: 'partitionIndex', type: 'int32', versions: '0+' },
    { name: 'partitionErrorCode', type: 'int16', versions: '0+' },
  ] },
] as const;

export const AddPartitionsToTxnRequest = defineMessage({
  name: 'AddPartitionsToTxnRequest',
  apiKey: 24,
  type: 'request',
  validVersions: '0-5',
  flexibleVersions: '3+',
  fields: [
    { name: 'transactions', type: '[]struct', versions: '4+', fields: [
      { name: 'transactionalId', type: 'string', versions: '4+' },
      { name: 'producerId', type: 'int64', versions: '4+' },
      { name: 'producerEpoch', type: 'int16', versions: '4+' },
      { name: 'verifyOnly', type: 'bool', versions: '4+', default: false },
      { name: 'topics', type: '[]struct', versions: '4+', fields: addPartitionsToTxnTopic },
    ] },
    { name: 'v3AndBelowTransactionalId', type: 'string', versions: '0-3' },
    { name: 'v3AndBelowProducerId', type: 'int64', versions: '0-3' },
    { name: 'v3AndBelowProducerEpoch', type: 'int16', versions: '0-3' },
    { name: 'v3AndBelowTopics', type: '[]struct', versions: '0-3', fields: addPartitionsToTxnTopic },
  ],
});

export const AddPartitionsToTxnResponse = defineMessage({
  name: 'AddPartitionsToTxnResponse',
  apiKey: 24,
  type: 'response',
  validVersions: '0-5',
  flexibleVersions: '3+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'errorCode', type: 'int16', versions: '4+', ignorable: true },
    { name: 'resultsByTransaction', type: '[]struct', versions: '4+', fields: [
      { name: 'transactionalId', type: 'string', versions: '4+' },
      { name: 'topicResults', type: '[]struct', versions: '4+', fields: addPartitionsToTxnTopicResult },
    ] },
    { name: 'resultsByTopicV3AndBelow', type: '[]struct', versions: '0-3', fields: addPartitionsToTxnTopicResult },
  ],
});
