import {
  Create2Response,
  CreateResponse,
  ErrorCode,
  ErrorResponse,
  ExistsResponse,
  GetACLResponse,
  GetAllChildrenNumberResponse,
  GetChildren2Response,
  GetChildrenResponse,
  GetDataResponse,
  GetEphemeralsResponse,
  MultiResponseCodec,
  OpCode,
  SetACLResponse,
  SetDataResponse,
  SyncResponse,
  WhoAmIResponse,
  type BodyCodec,
} from '../../../protocols/zookeeper/index.js';
import type { Completion, InFlightRequest } from './in-flight-request.js';
import type { WatchKind } from './watch-registry.js';
import { ZooKeeperError } from './zookeeper-error.js';

function fail(request: InFlightRequest, err: number): void {
  request.reject(new ZooKeeperError(err, request.type, request.path));
}

function settle(request: InFlightRequest, value: unknown): void {
  (request.resolve as (v: unknown) => void)(value);
}

/** A reply whose body is decoded with `codec` and turned into the promised value; `watch` is registered on success. */
function decoded<T>(codec: BodyCodec<T>, value: (body: T) => unknown, watch?: WatchKind): Completion {
  return (request, err, reader, watches) => {
    if (err !== 0) return fail(request, err);
    const body = codec.decode(reader);
    if (watch !== undefined && request.watcher !== undefined) watches.add(watch, request.path!, request.watcher);
    settle(request, value(body));
  };
}

/** A reply without a body: resolves with undefined. */
const headerOnly: Completion = (request, err) => (err !== 0 ? fail(request, err) : settle(request, undefined));

/** exists: a missing node resolves null and still leaves an exist watch (Apache sets it on NONODE). */
const exists: Completion = (request, err, reader, watches) => {
  if (err === ErrorCode.NONODE) {
    if (request.watcher !== undefined) watches.add('exist', request.path!, request.watcher);
    return settle(request, null);
  }
  if (err !== 0) return fail(request, err);
  const { stat } = ExistsResponse.decode(reader);
  if (request.watcher !== undefined) watches.add('data', request.path!, request.watcher);
  settle(request, stat);
};

/** multi: rejects with the first failing op's code, the per-op results attached. */
const multi: Completion = (request, err, reader) => {
  if (err !== 0) return fail(request, err);
  const { results } = MultiResponseCodec.decode(reader);
  const failed = results.find((r) => r.type === OpCode.error && r.err !== 0);
  if (failed !== undefined && failed.type === OpCode.error) {
    return request.reject(new ZooKeeperError(failed.err, 'multi', undefined, { results }));
  }
  settle(request, results);
};

/** multiRead: per-op errors are results, not a failure. */
const multiRead = decoded(MultiResponseCodec, (b) => b.results);

export const completions = {
  create: decoded(CreateResponse, (b) => b.path),
  create2: decoded(Create2Response, (b) => b),
  delete: headerOnly,
  exists,
  getData: decoded(GetDataResponse, (b) => b, 'data'),
  setData: decoded(SetDataResponse, (b) => b.stat),
  getACL: decoded(GetACLResponse, (b) => b),
  setACL: decoded(SetACLResponse, (b) => b.stat),
  getChildren: decoded(GetChildrenResponse, (b) => b.children, 'child'),
  getChildren2: decoded(GetChildren2Response, (b) => b, 'child'),
  sync: decoded(SyncResponse, (b) => b.path),
  multi,
  multiRead,
  getEphemerals: decoded(GetEphemeralsResponse, (b) => b.ephemerals),
  getAllChildrenNumber: decoded(GetAllChildrenNumberResponse, (b) => b.totalNumber),
  whoAmI: decoded(WhoAmIResponse, (b) => b.clientInfo),
  /** addWatch answers ErrorResponse{0}; the watch is registered only once the server confirmed it. */
  addWatchPersistent: decoded(ErrorResponse, () => undefined, 'persistent'),
  addWatchPersistentRecursive: decoded(ErrorResponse, () => undefined, 'persistentRecursive'),
  headerOnly,
} satisfies Record<string, Completion>;
