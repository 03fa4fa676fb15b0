import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { ErrorCode } from '../../../protocols/kafka/error-codes.js';
import { GROUP_METADATA_TOPIC } from '../coordinator/internal-topics.js';
import { topicPartitionKey } from '../group/classic-group.js';
import { txnPartitionKey } from '../txn/transaction-metadata.js';
import { defineHandler } from './api-handler.js';
import { offsetCommitResponse, offsetsToStore } from './offset-commit-partitions.js';

/**
 * TxnOffsetCommit: offsets written to `__consumer_offsets` inside the producer's transaction,
 * visible once it commits. With transaction.partition.verification.enable the group's offsets
 * partition must have been added (AddOffsetsToTxn): otherwise INVALID_TXN_STATE (v4+:
 * TRANSACTION_ABORTABLE); a fenced producer gets INVALID_PRODUCER_EPOCH. v3+ carry the
 * member and generation, checked like a plain commit's.
 */
export const txnOffsetCommitHandler = defineHandler({
  api: KafkaApis.TxnOffsetCommit,
  minVersion: 0,
  maxVersion: 4,
  handle: (req, ctx) => {
    const { broker } = ctx;
    const v = ctx.header.apiVersion;
    const now = ctx.broker.now();
    const errors = new Map<string, number>();
    const offsets = offsetsToStore(broker, req.topics, errors, () => ({ commitTimestamp: now, expireTimestamp: undefined }));
    const failAll = (code: number) => {
      for (const o of offsets) errors.set(topicPartitionKey(o.topic, o.partition), code);
    };
    if (offsets.length > 0) {
      let verification: number = ErrorCode.NONE;
      if (req.groupId === '') verification = ErrorCode.INVALID_GROUP_ID;
      else if (broker.config.transactionPartitionVerification) {
        broker.groups.store.ensureTopic();
        const key = txnPartitionKey(GROUP_METADATA_TOPIC, broker.groups.store.partitionFor(req.groupId));
        const e = broker.txns.verifyPartitions(req.transactionalId, Number(req.producerId), req.producerEpoch, [key]).get(key)!;
        if (e === ErrorCode.PRODUCER_FENCED) verification = ErrorCode.INVALID_PRODUCER_EPOCH;
        else if (e === ErrorCode.TRANSACTION_ABORTABLE) verification = v >= 4 ? ErrorCode.TRANSACTION_ABORTABLE : ErrorCode.INVALID_TXN_STATE;
        else verification = e;
      }
      if (verification !== ErrorCode.NONE) failAll(verification);
      else {
        const results = broker.groups.commitTransactionalOffsets({
          groupId: req.groupId,
          memberId: req.memberId,
          groupInstanceId: req.groupInstanceId,
          generationId: req.generationId,
          offsets,
          producerId: Number(req.producerId),
          producerEpoch: req.producerEpoch,
        });
        for (const [k, e] of results) errors.set(k, e);
      }
    }
    return offsetCommitResponse(req.topics, errors);
  },
});
