import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { ErrorCode } from '../../../protocols/kafka/error-codes.js';
import { defineHandler } from './api-handler.js';

/** ListTransactions: transactional ids filtered by state, producer id and (v1) minimum running time. */
export const listTransactionsHandler = defineHandler({
  api: KafkaApis.ListTransactions,
  minVersion: 0,
  maxVersion: 1,
  handle: (req, ctx) => {
    const r = ctx.broker.txns.list(req.stateFilters, req.producerIdFilters.map(Number), Number(req.durationFilter));
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      unknownStateFilters: r.unknownStateFilters,
      transactionStates: r.transactions.map((m) => ({ transactionalId: m.transactionalId, producerId: BigInt(m.producerId), transactionState: m.state })),
    };
  },
});
