import { KzbenchError } from '../../common/errors.js';

/**
 * Stable codes for everything the ZooKeeper codec can reject. A server maps any of these to
 * "close the connection" (as Apache does on a bad frame) or to MARSHALLINGERROR; a client
 * treats them as a broken connection.
 */
export const CodecErrorCode = {
  /** A frame length prefix below zero. */
  negativeLength: 'KZ_ZK_FRAME_NEGATIVE_LENGTH',
  /** A frame length prefix above jute.maxbuffer. */
  frameTooLarge: 'KZ_ZK_FRAME_TOO_LARGE',
  /** A record needs more bytes than the frame holds. */
  truncated: 'KZ_ZK_TRUNCATED',
  /** A length or count field below -1, or a count that cannot fit in the frame. */
  badLength: 'KZ_ZK_BAD_LENGTH',
  /** -1 (null) in a field that Apache never sends null. */
  unexpectedNull: 'KZ_ZK_UNEXPECTED_NULL',
  /** An opcode this codec has no record for (in a multi, or where a body is required). */
  unknownOp: 'KZ_ZK_UNKNOWN_OP',
  /** A frame handler threw, so the frame reader lost its place in the stream. */
  streamBroken: 'KZ_ZK_STREAM_BROKEN',
  /** A value that cannot be encoded (out-of-range int, wrong type). */
  unencodable: 'KZ_ZK_UNENCODABLE',
} as const;
export type CodecErrorCode = (typeof CodecErrorCode)[keyof typeof CodecErrorCode];

export class CodecError extends KzbenchError {
  /** Outermost first: the records being decoded when the error happened, e.g. ["GetDataResponse", "Stat"]. */
  readonly context: string[];
  private readonly bareMessage: string;

  constructor(code: CodecErrorCode, message: string, context: string[] = []) {
    super(code, CodecError.describe(message, context));
    this.bareMessage = message;
    this.context = [...context];
  }

  private static describe(message: string, context: readonly string[]): string {
    return context.length > 0 ? `${message} (in ${context.join(' > ')})` : message;
  }

  /**
   * Adds `recordName` as the outermost context, so the message names the record at fault.
   * Updates this error in place: decoding nested records would otherwise build (and capture
   * a stack for) one error per level, which adds up when a server is fed garbage.
   */
  within(recordName: string): this {
    this.context.unshift(recordName);
    this.message = CodecError.describe(this.bareMessage, this.context);
    return this;
  }
}
