import { ErrorCode } from '../../../protocols/kafka/error-codes.js';

/**
 * PRODUCER_FENCED (KIP-588) is unknown to clients of older request versions; Apache answers
 * them INVALID_PRODUCER_EPOCH instead, which they handle the same way.
 */
export function fencedForVersion(errorCode: number, version: number, firstVersionKnowingFenced: number): number {
  return errorCode === ErrorCode.PRODUCER_FENCED && version < firstVersionKnowingFenced ? ErrorCode.INVALID_PRODUCER_EPOCH : errorCode;
}
