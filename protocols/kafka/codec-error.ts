import { KzbenchError } from '../../common/errors.js';

/**
 * A Kafka frame or message could not be encoded or decoded: truncated or oversized input,
 * an unknown API key or version, a null where the schema forbids one, or a value that the
 * chosen version cannot carry. Servers answer (or drop the connection) instead of crashing.
 */
export class KafkaCodecError extends KzbenchError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('KZ_KAFKA_CODEC', message, undefined, options);
  }
}

/** A frame larger than the configured limit (socket.request.max.bytes on the broker side). */
export class KafkaFrameTooLargeError extends KzbenchError {
  readonly size: number;
  readonly maxSize: number;
  constructor(size: number, maxSize: number) {
    super(
      'KZ_KAFKA_FRAME_TOO_LARGE',
      `Kafka frame of ${size} bytes exceeds the limit of ${maxSize} bytes ` +
        '(raise socket.request.max.bytes / maxFrameSize if the peer is legitimate)',
    );
    this.size = size;
    this.maxSize = maxSize;
  }
}
