import { OpCode, type ACL, type ClientInfo, type MultiResult, type Stat } from '../../../protocols/zookeeper/index.js';
import type { RequestBuilder } from './request-builder.js';
import type { ObservedReply } from './scenario-session.js';

/** A watch notification as a step saw it; paths are relative to the scenario root. */
export interface EventView {
  type: number;
  state: number;
  path: string;
  zxid: bigint;
  /** Acting session only: arrived before the reply of the step's request. */
  beforeReply?: boolean;
}

/** One result of a multi or multiRead: a success of `op`, or an error result. */
export interface MultiResultView {
  op?: number;
  err?: number;
  path?: string;
  stat?: Stat;
  data?: Buffer | null;
  children?: string[];
}

/**
 * Everything one step observed, with paths made relative to the scenario root. Fields are
 * named as in `expect:` so expectations, relations (`$saved.stat.mzxid`) and the diff
 * normaliser all read the same object.
 */
export interface StepResult {
  step: number;
  op: string;
  session?: string;
  label: string;
  /** Set when a version gate skipped the step. */
  skipped?: string;
  err?: number;
  zxid?: bigint;
  closed?: boolean;
  path?: string;
  data?: Buffer | null;
  stat?: Stat;
  children?: string[];
  acl?: ACL[];
  ephemerals?: string[];
  count?: number;
  clientInfo?: ClientInfo[];
  results?: MultiResultView[];
  text?: string;
  timeOut?: number;
  sessionId?: bigint;
  readOnlyByte?: boolean;
  bodyHex?: string;
  expired?: boolean;
  /** The success body did not decode as the op's reply record. */
  decodeError?: string;
  /** Notifications each session received during the step, in arrival order. */
  events: Record<string, EventView[]>;
}

/** Copies a reply's header and decoded body into a step result. */
export function applyReply(result: StepResult, reply: ObservedReply, paths: RequestBuilder): void {
  result.err = reply.err;
  result.zxid = reply.zxid;
  if (reply.decodeError !== undefined) result.decodeError = reply.decodeError;
  if (reply.rawBody !== undefined) result.bodyHex = reply.rawBody.toString('hex');
  const body = reply.body as Record<string, unknown> | undefined;
  if (body === undefined) return;
  if (typeof body.path === 'string') result.path = paths.unroot(body.path);
  if (body.stat !== undefined) result.stat = body.stat as Stat;
  if ('data' in body) result.data = body.data as Buffer | null;
  if (Array.isArray(body.children)) result.children = body.children as string[];
  if (Array.isArray(body.acl)) result.acl = body.acl as ACL[];
  if (Array.isArray(body.ephemerals)) result.ephemerals = (body.ephemerals as string[]).map((p) => paths.unroot(p));
  if (typeof body.totalNumber === 'number') result.count = body.totalNumber;
  if (Array.isArray(body.clientInfo)) result.clientInfo = body.clientInfo as ClientInfo[];
  if (Array.isArray(body.results)) result.results = (body.results as MultiResult[]).map((r) => multiResultView(r, paths));
}

function multiResultView(r: MultiResult, paths: RequestBuilder): MultiResultView {
  if (r.type === OpCode.error) return { err: r.err };
  const view: MultiResultView = { op: r.type };
  const body = r.body as Record<string, unknown> | undefined;
  if (body === undefined) return view;
  if (typeof body.path === 'string') view.path = paths.unroot(body.path);
  if (body.stat !== undefined) view.stat = body.stat as Stat;
  if ('data' in body) view.data = body.data as Buffer | null;
  if (Array.isArray(body.children)) view.children = body.children as string[];
  return view;
}
