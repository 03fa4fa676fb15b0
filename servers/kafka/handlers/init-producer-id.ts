import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { ErrorCode } from '../../../protocols/kafka/error-codes.js';
import { defineHandler } from './api-handler.js';
import { fencedForVersion } from './producer-fenced-compat.js';

/**
 * InitProducerId: a fresh producer id for an idempotent producer; for a transactional id,
 * its producer id with the epoch bumped (fencing older instances, aborting their open
 * transaction first: CONCURRENT_TRANSACTIONS, retry). v3+ may name the current id and epoch
 * to recover (KIP-360).
 */
export const initProducerIdHandler = defineHandler({
  api: KafkaApis.InitProducerId,
  minVersion: 0,
  maxVersion: 5,
  handle: (req, ctx) => {
    const pid = Number(req.producerId);
    const epoch = req.producerEpoch;
    if ((pid === -1) !== (epoch === -1)) return { throttleTimeMs: 0, errorCode: ErrorCode.INVALID_REQUEST, producerId: -1n, producerEpoch: -1 };
    const r = ctx.broker.txns.initProducerId(req.transactionalId, req.transactionTimeoutMs, pid === -1 ? undefined : { producerId: pid, producerEpoch: epoch });
    return { throttleTimeMs: 0, errorCode: fencedForVersion(r.errorCode, ctx.header.apiVersion, 4), producerId: BigInt(r.producerId), producerEpoch: r.producerEpoch };
  },
});
