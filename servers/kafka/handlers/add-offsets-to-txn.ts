import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { GROUP_METADATA_TOPIC } from '../coordinator/internal-topics.js';
import { txnPartitionKey } from '../txn/transaction-metadata.js';
import { defineHandler } from './api-handler.js';
import { fencedForVersion } from './producer-fenced-compat.js';

/** AddOffsetsToTxn: adds the group's `__consumer_offsets` partition to the transaction. */
export const addOffsetsToTxnHandler = defineHandler({
  api: KafkaApis.AddOffsetsToTxn,
  minVersion: 0,
  maxVersion: 4,
  handle: (req, ctx) => {
    const { broker } = ctx;
    broker.groups.store.ensureTopic();
    const partition = broker.groups.store.partitionFor(req.groupId);
    const error = broker.txns.addPartitions(req.transactionalId, Number(req.producerId), req.producerEpoch, [txnPartitionKey(GROUP_METADATA_TOPIC, partition)]);
    return { throttleTimeMs: 0, errorCode: fencedForVersion(error, ctx.header.apiVersion, 2) };
  },
});
