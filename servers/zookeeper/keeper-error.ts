/**
 * KeeperException codes (the protocol's table, under the name the server uses) and the
 * exception the server's request processing throws to answer with one of them.
 */
import { ErrorCode, errorCodeName as codeName } from '../../protocols/zookeeper/error-codes.js';
export { ErrorCode as Code, errorCodeName as codeName } from '../../protocols/zookeeper/error-codes.js';

/** Thrown inside request processing; the reply carries `code` and no body. */
export class KeeperError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly path?: string,
  ) {
    super(path === undefined ? codeName(code) : `${codeName(code)} for ${path}`);
    this.name = 'KeeperError';
  }
}
