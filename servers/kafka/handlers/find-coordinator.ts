import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { ErrorCode, kafkaError } from '../../../protocols/kafka/error-codes.js';
import type { BrokerState } from '../broker-state.js';
import { defineHandler } from './api-handler.js';

const KeyType = { group: 0, transaction: 1, share: 2 } as const;

interface Coordinator {
  errorCode: number;
  nodeId: number;
  host: string;
  port: number;
}

/**
 * The coordinator of a group or transactional id is the leader of its partition of
 * `__consumer_offsets` / `__transaction_state`: on a single node, always this broker. The
 * internal topic is created on first use. Apache answers that first request with
 * COORDINATOR_NOT_AVAILABLE while it creates the topic; this broker creates it at once.
 */
function coordinatorFor(broker: BrokerState, keyType: number, version: number): Coordinator {
  const none = (errorCode: number): Coordinator => ({ errorCode, nodeId: -1, host: '', port: -1 });
  if (keyType === KeyType.group) broker.groups.store.ensureTopic();
  else if (keyType === KeyType.transaction) broker.txns.txnLog.ensureTopic();
  else if (keyType === KeyType.share) return none(version < 6 ? ErrorCode.INVALID_REQUEST : ErrorCode.COORDINATOR_NOT_AVAILABLE);
  else return none(ErrorCode.INVALID_REQUEST);
  const { host, port } = broker.config.advertised;
  return { errorCode: ErrorCode.NONE, nodeId: broker.nodeId, host, port };
}

export const findCoordinatorHandler = defineHandler({
  api: KafkaApis.FindCoordinator,
  minVersion: 0,
  maxVersion: 6,
  handle: (req, ctx) => {
    const v = ctx.header.apiVersion;
    // v4+: Apache leaves each coordinator's errorMessage at its default, the empty string.
    if (v >= 4) {
      return {
        throttleTimeMs: 0,
        coordinators: req.coordinatorKeys.map((key) => ({ key, ...coordinatorFor(ctx.broker, req.keyType, v), errorMessage: '' })),
      };
    }
    const c = coordinatorFor(ctx.broker, req.keyType, v);
    // Apache fills errorMessage with Errors.message(): the exception's message, or "NONE".
    return { throttleTimeMs: 0, ...c, errorMessage: c.errorCode === ErrorCode.NONE ? 'NONE' : kafkaError(c.errorCode).message };
  },
});
