import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { ErrorCode } from '../../../protocols/kafka/error-codes.js';
import { defineHandler } from './api-handler.js';

/** DescribeProducers: the producer state of each partition (what `kafka-transactions.sh describe-producers` shows). */
export const describeProducersHandler = defineHandler({
  api: KafkaApis.DescribeProducers,
  minVersion: 0,
  maxVersion: 0,
  handle: (req, ctx) => ({
    throttleTimeMs: 0,
    topics: req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitionIndexes.map((partitionIndex) => {
        const log = ctx.broker.partitionLog(t.name, partitionIndex);
        if (!log) return { partitionIndex, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: null, activeProducers: [] };
        return {
          partitionIndex,
          errorCode: ErrorCode.NONE,
          errorMessage: null,
          activeProducers: log.producerState.all().map((e) => ({
            producerId: BigInt(e.producerId),
            producerEpoch: e.producerEpoch,
            lastSequence: e.lastSeq,
            lastTimestamp: BigInt(e.lastTimestamp),
            coordinatorEpoch: e.coordinatorEpoch,
            currentTxnStartOffset: BigInt(e.currentTxnFirstOffset ?? -1),
          })),
        };
      }),
    })),
  }),
});
