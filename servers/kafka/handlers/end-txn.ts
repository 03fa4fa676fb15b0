import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { defineHandler } from './api-handler.js';
import { fencedForVersion } from './producer-fenced-compat.js';

/** EndTxn: commit or abort; answers after the markers are in every partition of the transaction. */
export const endTxnHandler = defineHandler({
  api: KafkaApis.EndTxn,
  minVersion: 0,
  maxVersion: 4,
  handle: (req, ctx) => {
    const error = ctx.broker.txns.endTransaction(req.transactionalId, Number(req.producerId), req.producerEpoch, req.committed);
    return { throttleTimeMs: 0, errorCode: fencedForVersion(error, ctx.header.apiVersion, 2) };
  },
});
