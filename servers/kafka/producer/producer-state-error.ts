/**
 * An append refused by idempotence or transaction rules, with the Kafka error code the
 * partition answers (OUT_OF_ORDER_SEQUENCE_NUMBER, INVALID_PRODUCER_EPOCH, INVALID_TXN_STATE,
 * TRANSACTION_COORDINATOR_FENCED). Nothing of the refused append is written.
 */
export class ProducerStateError extends Error {
  constructor(
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}
