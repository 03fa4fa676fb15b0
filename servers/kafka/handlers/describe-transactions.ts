import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { partitionsByTopic } from '../txn/transaction-metadata.js';
import { defineHandler } from './api-handler.js';

/** DescribeTransactions: state, producer, timeout, start time and partitions of each transactional id. */
export const describeTransactionsHandler = defineHandler({
  api: KafkaApis.DescribeTransactions,
  minVersion: 0,
  maxVersion: 0,
  handle: (req, ctx) => ({
    throttleTimeMs: 0,
    transactionStates: req.transactionalIds.map((transactionalId) => {
      const { errorCode, metadata: m } = ctx.broker.txns.describe(transactionalId);
      // Apache leaves every other field at its default (0, "") for an id it does not know.
      if (!m) return { errorCode, transactionalId, transactionState: '', transactionTimeoutMs: 0, transactionStartTimeMs: 0n, producerId: 0n, producerEpoch: 0, topics: [] };
      return {
        errorCode,
        transactionalId,
        transactionState: m.state,
        transactionTimeoutMs: m.txnTimeoutMs,
        transactionStartTimeMs: BigInt(m.txnStartTimestamp),
        producerId: BigInt(m.producerId),
        producerEpoch: m.producerEpoch,
        topics: partitionsByTopic(m.partitions).map((t) => ({ topic: t.topic, partitions: t.partitions })),
      };
    }),
  }),
});
