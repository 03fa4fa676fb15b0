import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { ErrorCode } from '../../../protocols/kafka/error-codes.js';
import type { BrokerState } from '../broker-state.js';
import { parseTxnPartitionKey, txnPartitionKey } from '../txn/transaction-metadata.js';
import { defineHandler } from './api-handler.js';
import { fencedForVersion } from './producer-fenced-compat.js';

interface TxnPartitions {
  transactionalId: string;
  producerId: bigint;
  producerEpoch: number;
  verifyOnly: boolean;
  topics: Array<{ name: string; partitions: number[] }>;
}

function resultsByTopic(errors: Map<string, number>) {
  const topics = new Map<string, Array<{ partitionIndex: number; partitionErrorCode: number }>>();
  for (const [key, code] of errors) {
    const { topic, partition } = parseTxnPartitionKey(key);
    let list = topics.get(topic);
    if (!list) topics.set(topic, (list = []));
    list.push({ partitionIndex: partition, partitionErrorCode: code });
  }
  return [...topics].map(([name, resultsByPartition]) => ({ name, resultsByPartition }));
}

function handleTransaction(broker: BrokerState, t: TxnPartitions, version: number): Map<string, number> {
  const keys = t.topics.flatMap((tp) => tp.partitions.map((p) => txnPartitionKey(tp.name, p)));
  // Any unknown partition fails the whole request: the others are not attempted.
  const unknown = keys.filter((k) => {
    const { topic, partition } = parseTxnPartitionKey(k);
    return !broker.partitionLog(topic, partition);
  });
  if (unknown.length > 0) return new Map(keys.map((k) => [k, unknown.includes(k) ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.OPERATION_NOT_ATTEMPTED]));
  if (t.verifyOnly) return broker.txns.verifyPartitions(t.transactionalId, Number(t.producerId), t.producerEpoch, keys);
  const error = fencedForVersion(broker.txns.addPartitions(t.transactionalId, Number(t.producerId), t.producerEpoch, keys), version, 2);
  return new Map(keys.map((k) => [k, error]));
}

/**
 * AddPartitionsToTxn: v0–3 (clients) add one transaction's partitions; v4+ (brokers) batch
 * transactions and may only verify (KIP-890).
 */
export const addPartitionsToTxnHandler = defineHandler({
  api: KafkaApis.AddPartitionsToTxn,
  minVersion: 0,
  maxVersion: 5,
  handle: (req, ctx) => {
    const v = ctx.header.apiVersion;
    if (v < 4) {
      const errors = handleTransaction(
        ctx.broker,
        { transactionalId: req.v3AndBelowTransactionalId, producerId: req.v3AndBelowProducerId, producerEpoch: req.v3AndBelowProducerEpoch, verifyOnly: false, topics: req.v3AndBelowTopics },
        v,
      );
      return { throttleTimeMs: 0, resultsByTopicV3AndBelow: resultsByTopic(errors) };
    }
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      resultsByTransaction: req.transactions.map((t) => ({ transactionalId: t.transactionalId, topicResults: resultsByTopic(handleTransaction(ctx.broker, t, v)) })),
    };
  },
});
