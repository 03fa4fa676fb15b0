import { KzbenchError } from '../../../common/errors.js';
import { kafkaError } from '../../../protocols/kafka/error-codes.js';

/** A broker answered with a non-zero Kafka error code. */
export class KafkaResponseError extends KzbenchError {
  readonly errorCode: number;
  readonly errorName: string;
  readonly retriable: boolean;
  constructor(errorCode: number, context: string, serverMessage?: string | null) {
    const info = kafkaError(errorCode);
    super('KZ_KAFKA_RESPONSE', `${context}: ${info.name} (${errorCode})${serverMessage ? `: ${serverMessage}` : ''} - ${info.message}`);
    this.errorCode = errorCode;
    this.errorName = info.name;
    this.retriable = info.retriable;
  }
}

/** The connection failed, closed, or a request timed out; the outcome of in-flight requests is unknown. */
export class KafkaConnectionError extends KzbenchError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('KZ_KAFKA_CONNECTION', message, undefined, options);
  }
}

/** The broker does not offer a version of an API that this client can use. */
export class KafkaUnsupportedApiError extends KzbenchError {
  constructor(message: string) {
    super('KZ_KAFKA_UNSUPPORTED_API', message);
  }
}
