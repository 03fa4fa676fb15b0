import { UsageError } from '../../common/errors.js';
import { pairOps } from '../history/op-pairs.js';
import type { Op } from '../history/op.js';

/**
 * A ZooKeeper client history as the session-rule checker reads it (the op shapes are in
 * docs/checkers.md, "ZooKeeper session rules"):
 *
 * - requests: `create`, `delete`, `set`, `get`, `exists`, `children`, `sync`, `close`, each
 *   an invoke and a completion on a single-threaded `process`, with `client` naming the
 *   ZooKeeper handle (several processes may share one, to pipeline). Invoke `value`:
 *   `{path, flags?, watch?}`; completion: `ok` or `fail` (a reply with an error code) carrying
 *   the reply header `zxid` and `session`, and in `value` what the reply said (`path` created,
 *   `exists`, `mzxid`, `czxid`, `ephemeralOwner`, `children`); `info` when no reply came.
 * - events: `watch` (value `{type, path}`) and `session-expired`, as standalone `info` ops of
 *   a process that never invokes (e.g. `"events"`), with `client`, and `zxid` when known.
 */
export interface ZkRequest {
  client: string;
  f: string;
  path?: string;
  flags: string;
  watch: boolean;
  invoke: Op;
  /** The reply (ok or fail); undefined when none came (info). */
  reply?: Op;
  ok: boolean;
  session?: string;
  zxid?: bigint;
  xid?: bigint;
  result: Record<string, unknown>;
}

export interface ZkEvent {
  client: string;
  f: 'watch' | 'session-expired';
  op: Op;
  type?: string;
  path?: string;
  session?: string;
  zxid?: bigint;
}

export interface ZkHistory {
  requests: ZkRequest[];
  events: ZkEvent[];
}

export const writeOps: ReadonlySet<string> = new Set(['create', 'delete', 'set']);
export const readOps: ReadonlySet<string> = new Set(['get', 'exists', 'children']);
const requestOps: ReadonlySet<string> = new Set([...writeOps, ...readOps, 'sync', 'close']);

export function readZkHistory(history: readonly Op[]): ZkHistory {
  const paired = pairOps(history);
  const requests: ZkRequest[] = [];
  for (const pair of paired.pairs) requests.push(toRequest(pair.invoke, pair.outcome === 'ok' ? pair.completion : undefined));
  for (const { invoke, completion } of paired.failed) requests.push(toRequest(invoke, completion));
  requests.sort((a, b) => a.invoke.index - b.invoke.index);
  const events: ZkEvent[] = [];
  for (const op of paired.standalone) {
    if (op.f !== 'watch' && op.f !== 'session-expired') continue; // nemesis and other markers
    const value = record(op.value);
    const event: ZkEvent = { client: clientOf(op), f: op.f, op };
    if (typeof value.type === 'string') event.type = value.type;
    if (typeof value.path === 'string') event.path = value.path;
    const session = op.session ?? value.session;
    if (session !== undefined) event.session = String(session);
    const zxid = toZxid(op.zxid, op);
    if (zxid !== undefined) event.zxid = zxid;
    events.push(event);
  }
  return { requests, events };
}

function toRequest(invoke: Op, reply: Op | undefined): ZkRequest {
  if (!requestOps.has(invoke.f)) {
    throw new UsageError('KZ_CHECK_MODEL_MISMATCH', `op ${invoke.index} is '${invoke.f}', which is not a ZooKeeper request the zookeeper-session checker knows (${[...requestOps].join(', ')})`);
  }
  const args = record(invoke.value);
  const result = reply ? record(reply.value) : {};
  const request: ZkRequest = {
    client: clientOf(invoke),
    f: invoke.f,
    flags: typeof args.flags === 'string' ? args.flags : '',
    watch: args.watch === true,
    invoke,
    ok: reply?.type === 'ok',
    result,
  };
  const path = typeof result.path === 'string' && invoke.f === 'create' ? result.path : args.path;
  if (typeof path === 'string') request.path = path;
  if (reply) {
    request.reply = reply;
    if (reply.session !== undefined) request.session = String(reply.session);
    const zxid = toZxid(reply.zxid, reply);
    if (zxid !== undefined) request.zxid = zxid;
  }
  const xid = toZxid(invoke.xid, invoke);
  if (xid !== undefined) request.xid = xid;
  return request;
}

function clientOf(op: Op): string {
  return String(op.client ?? op.process);
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Zxids (and xids) are 64-bit: numbers, decimal strings or 0x-hex strings. */
export function toZxid(value: unknown, op: Op): bigint | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^(0x[0-9a-fA-F]+|-?\d+)$/.test(value)) return BigInt(value);
  throw new UsageError('KZ_CHECK_MODEL_MISMATCH', `op ${op.index} has zxid/xid ${JSON.stringify(value)}; use an integer, a decimal string or a 0x-hex string`);
}

export function zxidField(result: Record<string, unknown>, name: string, op: Op): bigint | undefined {
  return toZxid(result[name], op);
}

export function showZxid(zxid: bigint): string {
  return `0x${zxid.toString(16)}`;
}

export function describeRequest(r: ZkRequest): string {
  return `${r.f} ${r.path ?? ''}`.trim() + ` by client ${r.client} (op ${r.reply?.index ?? r.invoke.index})`;
}

/** The parent of a znode path: "/a/b" -> "/a", "/a" -> "/". */
export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}
