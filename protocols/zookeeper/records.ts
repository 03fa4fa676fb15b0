import { record } from './jute-record.js';
import {
  bool,
  buffer,
  int,
  long,
  nullableVector,
  trailingOptional,
  ustring,
  ustringOrNull,
  vector,
  type TypeOf,
} from './jute-types.js';

/**
 * Every record of the ZooKeeper client protocol, each described once, in the field order of
 * zookeeper.jute (3.8/3.9). Names follow Apache's classes. Each record is exported twice
 * under one name: the codec (a value) and its decoded type.
 */

// ── org.apache.zookeeper.data ────────────────────────────────────────────────

/**
 * `id` may be null: kazoo sends CREATOR_ALL_ACL as Id("auth", null), which Apache accepts (an
 * "auth" entry is replaced by the caller's ids, so its id is never read).
 */
export const Id = record('Id', { scheme: ustring, id: ustringOrNull });
export type Id = TypeOf<typeof Id>;

export const ACL = record('ACL', { perms: int, id: Id });
export type ACL = TypeOf<typeof ACL>;

/** 68 bytes on the wire. */
export const Stat = record('Stat', {
  czxid: long,
  mzxid: long,
  ctime: long,
  mtime: long,
  version: int,
  cversion: int,
  aversion: int,
  ephemeralOwner: long,
  dataLength: int,
  numChildren: int,
  pzxid: long,
});
export type Stat = TypeOf<typeof Stat>;

/** whoAmI (3.7+): one entry per auth id of the session. */
export const ClientInfo = record('ClientInfo', { authScheme: ustring, user: ustring });
export type ClientInfo = TypeOf<typeof ClientInfo>;

// ── session handshake ────────────────────────────────────────────────────────

/**
 * `readOnly` is absent in the short form sent by old clients, go-zookeeper and
 * node-zookeeper-client; Apache then answers with the short ConnectResponse too.
 */
export const ConnectRequest = record('ConnectRequest', {
  protocolVersion: int,
  lastZxidSeen: long,
  timeOut: int,
  sessionId: long,
  passwd: buffer,
  readOnly: trailingOptional(bool),
});
export type ConnectRequest = TypeOf<typeof ConnectRequest>;

export const ConnectResponse = record('ConnectResponse', {
  protocolVersion: int,
  timeOut: int,
  sessionId: long,
  passwd: buffer,
  readOnly: trailingOptional(bool),
});
export type ConnectResponse = TypeOf<typeof ConnectResponse>;

// ── headers ──────────────────────────────────────────────────────────────────

export const RequestHeader = record('RequestHeader', { xid: int, type: int });
export type RequestHeader = TypeOf<typeof RequestHeader>;

export const ReplyHeader = record('ReplyHeader', { xid: int, zxid: long, err: int });
export type ReplyHeader = TypeOf<typeof ReplyHeader>;

/** Precedes each op of a multi request and each result of a multi response. */
export const MultiHeader = record('MultiHeader', { type: int, done: bool, err: int });
export type MultiHeader = TypeOf<typeof MultiHeader>;

export const WatcherEvent = record('WatcherEvent', { type: int, state: int, path: ustring });
export type WatcherEvent = TypeOf<typeof WatcherEvent>;

/** The body of a multi error result, and of an addWatch reply. */
export const ErrorResponse = record('ErrorResponse', { err: int });
export type ErrorResponse = TypeOf<typeof ErrorResponse>;

// ── requests ─────────────────────────────────────────────────────────────────

/** create (1), create2 (15), createContainer (19). `acl` may be null: Apache answers INVALIDACL. */
export const CreateRequest = record('CreateRequest', {
  path: ustring,
  data: buffer,
  acl: nullableVector(ACL),
  flags: int,
});
export type CreateRequest = TypeOf<typeof CreateRequest>;

export const CreateTTLRequest = record('CreateTTLRequest', {
  path: ustring,
  data: buffer,
  acl: nullableVector(ACL),
  flags: int,
  ttl: long,
});
export type CreateTTLRequest = TypeOf<typeof CreateTTLRequest>;

export const DeleteRequest = record('DeleteRequest', { path: ustring, version: int });
export type DeleteRequest = TypeOf<typeof DeleteRequest>;

export const ExistsRequest = record('ExistsRequest', { path: ustring, watch: bool });
export type ExistsRequest = TypeOf<typeof ExistsRequest>;

export const GetDataRequest = record('GetDataRequest', { path: ustring, watch: bool });
export type GetDataRequest = TypeOf<typeof GetDataRequest>;

export const SetDataRequest = record('SetDataRequest', { path: ustring, data: buffer, version: int });
export type SetDataRequest = TypeOf<typeof SetDataRequest>;

export const GetACLRequest = record('GetACLRequest', { path: ustring });
export type GetACLRequest = TypeOf<typeof GetACLRequest>;

export const SetACLRequest = record('SetACLRequest', { path: ustring, acl: nullableVector(ACL), version: int });
export type SetACLRequest = TypeOf<typeof SetACLRequest>;

export const GetChildrenRequest = record('GetChildrenRequest', { path: ustring, watch: bool });
export type GetChildrenRequest = TypeOf<typeof GetChildrenRequest>;

export const GetChildren2Request = record('GetChildren2Request', { path: ustring, watch: bool });
export type GetChildren2Request = TypeOf<typeof GetChildren2Request>;

export const SyncRequest = record('SyncRequest', { path: ustring });
export type SyncRequest = TypeOf<typeof SyncRequest>;

export const CheckVersionRequest = record('CheckVersionRequest', { path: ustring, version: int });
export type CheckVersionRequest = TypeOf<typeof CheckVersionRequest>;

/** Null strings are legal: an incremental reconfig leaves newMembers null. */
export const ReconfigRequest = record('ReconfigRequest', {
  joiningServers: ustringOrNull,
  leavingServers: ustringOrNull,
  newMembers: ustringOrNull,
  curConfigId: long,
});
export type ReconfigRequest = TypeOf<typeof ReconfigRequest>;

/** `type` is a WatcherType. */
export const CheckWatchesRequest = record('CheckWatchesRequest', { path: ustring, type: int });
export type CheckWatchesRequest = TypeOf<typeof CheckWatchesRequest>;

export const RemoveWatchesRequest = record('RemoveWatchesRequest', { path: ustring, type: int });
export type RemoveWatchesRequest = TypeOf<typeof RemoveWatchesRequest>;

/** `mode` is an AddWatchMode. */
export const AddWatchRequest = record('AddWatchRequest', { path: ustring, mode: int });
export type AddWatchRequest = TypeOf<typeof AddWatchRequest>;

export const SetWatches = record('SetWatches', {
  relativeZxid: long,
  dataWatches: vector(ustring),
  existWatches: vector(ustring),
  childWatches: vector(ustring),
});
export type SetWatches = TypeOf<typeof SetWatches>;

export const SetWatches2 = record('SetWatches2', {
  relativeZxid: long,
  dataWatches: vector(ustring),
  existWatches: vector(ustring),
  childWatches: vector(ustring),
  persistentWatches: vector(ustring),
  persistentRecursiveWatches: vector(ustring),
});
export type SetWatches2 = TypeOf<typeof SetWatches2>;

export const GetEphemeralsRequest = record('GetEphemeralsRequest', { prefixPath: ustring });
export type GetEphemeralsRequest = TypeOf<typeof GetEphemeralsRequest>;

export const GetAllChildrenNumberRequest = record('GetAllChildrenNumberRequest', { path: ustring });
export type GetAllChildrenNumberRequest = TypeOf<typeof GetAllChildrenNumberRequest>;

/** Sent with xid -4. `type` is always 0. Digest `auth` is the bytes of "user:password". */
export const AuthPacket = record('AuthPacket', { type: int, scheme: ustring, auth: buffer });
export type AuthPacket = TypeOf<typeof AuthPacket>;

export const GetSASLRequest = record('GetSASLRequest', { token: buffer });
export type GetSASLRequest = TypeOf<typeof GetSASLRequest>;

// ── responses ────────────────────────────────────────────────────────────────

export const CreateResponse = record('CreateResponse', { path: ustring });
export type CreateResponse = TypeOf<typeof CreateResponse>;

export const Create2Response = record('Create2Response', { path: ustring, stat: Stat });
export type Create2Response = TypeOf<typeof Create2Response>;

export const ExistsResponse = record('ExistsResponse', { stat: Stat });
export type ExistsResponse = TypeOf<typeof ExistsResponse>;

export const GetDataResponse = record('GetDataResponse', { data: buffer, stat: Stat });
export type GetDataResponse = TypeOf<typeof GetDataResponse>;

export const SetDataResponse = record('SetDataResponse', { stat: Stat });
export type SetDataResponse = TypeOf<typeof SetDataResponse>;

export const GetACLResponse = record('GetACLResponse', { acl: vector(ACL), stat: Stat });
export type GetACLResponse = TypeOf<typeof GetACLResponse>;

export const SetACLResponse = record('SetACLResponse', { stat: Stat });
export type SetACLResponse = TypeOf<typeof SetACLResponse>;

export const GetChildrenResponse = record('GetChildrenResponse', { children: vector(ustring) });
export type GetChildrenResponse = TypeOf<typeof GetChildrenResponse>;

export const GetChildren2Response = record('GetChildren2Response', { children: vector(ustring), stat: Stat });
export type GetChildren2Response = TypeOf<typeof GetChildren2Response>;

export const SyncResponse = record('SyncResponse', { path: ustring });
export type SyncResponse = TypeOf<typeof SyncResponse>;

export const GetEphemeralsResponse = record('GetEphemeralsResponse', { ephemerals: vector(ustring) });
export type GetEphemeralsResponse = TypeOf<typeof GetEphemeralsResponse>;

export const GetAllChildrenNumberResponse = record('GetAllChildrenNumberResponse', { totalNumber: int });
export type GetAllChildrenNumberResponse = TypeOf<typeof GetAllChildrenNumberResponse>;

export const WhoAmIResponse = record('WhoAmIResponse', { clientInfo: vector(ClientInfo) });
export type WhoAmIResponse = TypeOf<typeof WhoAmIResponse>;

export const SetSASLResponse = record('SetSASLResponse', { token: buffer });
export type SetSASLResponse = TypeOf<typeof SetSASLResponse>;
