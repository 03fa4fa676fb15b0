import { KzbenchError } from '../../../common/errors.js';
import { ErrorCode, errorCodeName, opCodeName, type MultiResult } from '../../../protocols/zookeeper/index.js';

/** What to do about the common codes, appended to the message. */
const hints: Partial<Record<number, string>> = {
  [ErrorCode.NONODE]: 'the node does not exist',
  [ErrorCode.NODEEXISTS]: 'the node already exists',
  [ErrorCode.BADVERSION]: 'the expected version did not match: someone else changed the node; re-read it',
  [ErrorCode.NOTEMPTY]: 'the node has children: delete them first',
  [ErrorCode.NOCHILDRENFOREPHEMERALS]: 'ephemeral nodes cannot have children',
  [ErrorCode.NOAUTH]: 'the ACL denies this session: add auth (addAuth) or change the ACL',
  [ErrorCode.INVALIDACL]: 'the ACL is empty or malformed',
  [ErrorCode.AUTHFAILED]: 'the server rejected the credentials and closed the connection',
  [ErrorCode.CONNECTIONLOSS]: 'the connection dropped before the reply: the operation may or may not have happened',
  [ErrorCode.SESSIONEXPIRED]: 'the session expired: its ephemerals and watches are gone; create a new client',
  [ErrorCode.MARSHALLINGERROR]: 'the server could not decode the request',
  [ErrorCode.UNIMPLEMENTED]: 'the server does not implement this operation',
  [ErrorCode.BADARGUMENTS]: 'the server rejected an argument (path syntax, flags, TTL)',
  [ErrorCode.NOWATCHER]: 'no such watch is registered on the server',
  [ErrorCode.RECONFIGDISABLED]: 'reconfig is disabled on the server (reconfigEnabled=false)',
};

/**
 * A ZooKeeper operation that failed. `code` is the stable machine code `KZ_ZK_<NAME>`
 * (`KZ_ZK_NONODE`), `errorCode` the numeric KeeperException code and `errorName` its name.
 */
export class ZooKeeperError extends KzbenchError {
  readonly errorCode: number;
  readonly errorName: string;
  /** The operation, e.g. `getData`. */
  readonly op: string;
  readonly path: string | undefined;
  /** For a failed multi: the per-op results (0 before the failing op, its code, RUNTIMEINCONSISTENCY after). */
  readonly results: MultiResult[] | undefined;

  constructor(errorCode: number, op: number | string, path?: string, detail?: { message?: string; results?: MultiResult[] }) {
    const name = errorCodeName(errorCode);
    const opName = typeof op === 'number' ? opCodeName(op) : op;
    const hint = detail?.message ?? hints[errorCode];
    super(`KZ_ZK_${name}`, `${opName}${path === undefined ? '' : ` ${path}`}: ${name} (${errorCode})${hint ? `: ${hint}` : ''}`);
    this.errorCode = errorCode;
    this.errorName = name;
    this.op = opName;
    this.path = path;
    this.results = detail?.results;
  }
}

export function isZooKeeperError(err: unknown, code?: number): err is ZooKeeperError {
  return err instanceof ZooKeeperError && (code === undefined || err.errorCode === code);
}
