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
  constructor(code: CodecErrorCode, message: string, context: string[] = []) {
    super(code, context.length > 0 ? `${message} (in ${context.join(' > ')})` : message);
    this.context = context;
  }

  /** The same error with `recordName` prepended to its context, so messages name the record at fault. */
  within(recordName: string): CodecError {
    const bare = this.context.length > 0 ? this.message.slice(0, this.message.lastIndexOf(' (in ')) : this.message;
    const err = new CodecError(this.code as CodecErrorCode, bare, [recordName, ...this.context]);
    err.stack = this.stack;
    return err;
  }
}
