import { KafkaCodecError } from '../codec-error.js';

/**
 * What is wrong with a record batch, so the broker can pick the Kafka error code:
 * CORRUPT_MESSAGE for damage (bad CRC, torn or inconsistent bytes), INVALID_RECORD for a
 * well-formed batch it refuses (old magic), UNSUPPORTED_COMPRESSION_TYPE for a codec id it
 * does not know.
 */
export type BatchProblem = 'truncated' | 'length' | 'magic' | 'crc' | 'records' | 'compression';

export class CorruptRecordBatchError extends KafkaCodecError {
  readonly problem: BatchProblem;
  constructor(problem: BatchProblem, message: string) {
    super(message);
    this.problem = problem;
  }
}
