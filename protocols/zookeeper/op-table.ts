import type { BodyCodec, BodyOf } from './body-codec.js';
import { MultiRequestCodec, MultiResponseCodec } from './multi-codec.js';
import { OpCode } from './op-codes.js';
import {
  AddWatchRequest,
  AuthPacket,
  CheckVersionRequest,
  CheckWatchesRequest,
  Create2Response,
  CreateRequest,
  CreateResponse,
  CreateTTLRequest,
  DeleteRequest,
  ErrorResponse,
  ExistsRequest,
  ExistsResponse,
  GetACLRequest,
  GetACLResponse,
  GetAllChildrenNumberRequest,
  GetAllChildrenNumberResponse,
  GetChildren2Request,
  GetChildren2Response,
  GetChildrenRequest,
  GetChildrenResponse,
  GetDataRequest,
  GetDataResponse,
  GetEphemeralsRequest,
  GetEphemeralsResponse,
  GetSASLRequest,
  ReconfigRequest,
  RemoveWatchesRequest,
  SetACLRequest,
  SetACLResponse,
  SetDataRequest,
  SetDataResponse,
  SetSASLResponse,
  SetWatches,
  SetWatches2,
  SyncRequest,
  SyncResponse,
  WhoAmIResponse,
} from './records.js';

/**
 * For each client opcode: the record its request carries after the RequestHeader and the
 * record its reply carries after a ReplyHeader with err 0 (`null` = header only). A reply
 * with err ≠ 0 never has a body. Internal opcodes (notification, deleteContainer,
 * createSession, error) are not requests a client sends, so they are absent.
 */
export const opTable = {
  [OpCode.create]: { request: CreateRequest, response: CreateResponse },
  [OpCode.delete]: { request: DeleteRequest, response: null },
  /** A missing node answers NONODE with no body, but the exists watch is still set. */
  [OpCode.exists]: { request: ExistsRequest, response: ExistsResponse },
  [OpCode.getData]: { request: GetDataRequest, response: GetDataResponse },
  [OpCode.setData]: { request: SetDataRequest, response: SetDataResponse },
  [OpCode.getACL]: { request: GetACLRequest, response: GetACLResponse },
  [OpCode.setACL]: { request: SetACLRequest, response: SetACLResponse },
  [OpCode.getChildren]: { request: GetChildrenRequest, response: GetChildrenResponse },
  [OpCode.sync]: { request: SyncRequest, response: SyncResponse },
  [OpCode.ping]: { request: null, response: null },
  [OpCode.getChildren2]: { request: GetChildren2Request, response: GetChildren2Response },
  /** Meaningful only inside a multi; standalone it is UNIMPLEMENTED from 3.8.5/3.9.3 on. */
  [OpCode.check]: { request: CheckVersionRequest, response: null },
  [OpCode.multi]: { request: MultiRequestCodec, response: MultiResponseCodec },
  [OpCode.create2]: { request: CreateRequest, response: Create2Response },
  /** The reply is the new config and its Stat, as a GetDataResponse. */
  [OpCode.reconfig]: { request: ReconfigRequest, response: GetDataResponse },
  [OpCode.checkWatches]: { request: CheckWatchesRequest, response: null },
  [OpCode.removeWatches]: { request: RemoveWatchesRequest, response: null },
  [OpCode.createContainer]: { request: CreateRequest, response: Create2Response },
  [OpCode.createTTL]: { request: CreateTTLRequest, response: Create2Response },
  [OpCode.multiRead]: { request: MultiRequestCodec, response: MultiResponseCodec },
  /** Sent with xid -4; a failure is AUTHFAILED and the server closes the connection. */
  [OpCode.auth]: { request: AuthPacket, response: null },
  /** Sent with xid -8 right after the handshake to replay watches. */
  [OpCode.setWatches]: { request: SetWatches, response: null },
  [OpCode.sasl]: { request: GetSASLRequest, response: SetSASLResponse },
  [OpCode.getEphemerals]: { request: GetEphemeralsRequest, response: GetEphemeralsResponse },
  [OpCode.getAllChildrenNumber]: { request: GetAllChildrenNumberRequest, response: GetAllChildrenNumberResponse },
  [OpCode.setWatches2]: { request: SetWatches2, response: null },
  /** The one reply whose success body is an ErrorResponse {err: 0}. */
  [OpCode.addWatch]: { request: AddWatchRequest, response: ErrorResponse },
  [OpCode.whoAmI]: { request: null, response: WhoAmIResponse },
  /** The server closes the socket after replying. */
  [OpCode.closeSession]: { request: null, response: null },
} as const satisfies Record<number, { request: BodyCodec<unknown> | null; response: BodyCodec<unknown> | null }>;

/** An opcode a client can send. */
export type RequestType = keyof typeof opTable;
export type RequestBody<K extends RequestType> = BodyOf<(typeof opTable)[K]['request']>;
export type ResponseBody<K extends RequestType> = BodyOf<(typeof opTable)[K]['response']>;

export function isRequestType(type: number): type is RequestType {
  return Object.prototype.hasOwnProperty.call(opTable, type);
}

// Indexed by opcode + offset for a branch-free lookup on the hot path (opcodes span -11..107).
const OFFSET = 16;
const requestCodecs: (BodyCodec<unknown> | null | undefined)[] = [];
const responseCodecs: (BodyCodec<unknown> | null | undefined)[] = [];
for (const [code, entry] of Object.entries(opTable)) {
  requestCodecs[Number(code) + OFFSET] = entry.request;
  responseCodecs[Number(code) + OFFSET] = entry.response;
}

/** The request body codec of `type`: `null` for header-only ops, `undefined` for unknown ops. */
export function requestCodecOf(type: number): BodyCodec<unknown> | null | undefined {
  const i = type + OFFSET;
  return i >= 0 && i < requestCodecs.length ? requestCodecs[i] : undefined;
}

/** The success-reply body codec of `type`: `null` for header-only replies, `undefined` for unknown ops. */
export function responseCodecOf(type: number): BodyCodec<unknown> | null | undefined {
  const i = type + OFFSET;
  return i >= 0 && i < responseCodecs.length ? responseCodecs[i] : undefined;
}
