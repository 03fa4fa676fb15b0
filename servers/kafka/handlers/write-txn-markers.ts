import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { ErrorCode } from '../../../protocols/kafka/error-codes.js';
import { writeTxnMarker } from '../coordinator/txn-marker-writer.js';
import { ProducerStateError } from '../producer/producer-state-error.js';
import { defineHandler } from './api-handler.js';

/**
 * WriteTxnMarkers: a transaction coordinator (or `kafka-transactions.sh abort`, through the
 * admin client) asks this partition leader to write COMMIT/ABORT markers. Markers reaching
 * `__consumer_offsets` settle the producer's transactional offsets.
 */
export const writeTxnMarkersHandler = defineHandler({
  api: KafkaApis.WriteTxnMarkers,
  minVersion: 0,
  maxVersion: 1,
  handle: (req, ctx) => {
    const { broker } = ctx;
    const now = ctx.broker.now();
    return {
      markers: req.markers.map((m) => ({
        producerId: m.producerId,
        topics: m.topics.map((t) => ({
          name: t.name,
          partitions: t.partitionIndexes.map((partitionIndex) => {
            if (!broker.partitionLog(t.name, partitionIndex)) return { partitionIndex, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
            try {
              writeTxnMarker(
                broker,
                t.name,
                partitionIndex,
                { producerId: Number(m.producerId), producerEpoch: m.producerEpoch, commit: m.transactionResult, coordinatorEpoch: m.coordinatorEpoch },
                now,
                (pid, p, commit) => broker.onOffsetsTxnCompleted(pid, p, commit),
              );
              return { partitionIndex, errorCode: ErrorCode.NONE };
            } catch (err) {
              if (err instanceof ProducerStateError) return { partitionIndex, errorCode: err.errorCode };
              throw err;
            }
          }),
        })),
      })),
    };
  },
});
