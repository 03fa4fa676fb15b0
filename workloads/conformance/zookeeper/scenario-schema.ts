import { z } from 'zod';
import { ErrorCode, EventType, KeeperState } from '../../../protocols/zookeeper/index.js';
import { CAPABILITIES } from './target-profile.js';

/**
 * The ZooKeeper scenario file format (docs/conformance.md). A file holds `scenarios:`, each a
 * list of steps run on named sessions under the scenario's own root. Objects are strict so
 * a misspelt key is an error at its line, not a silently ignored expectation.
 */

/** A value, or per-version values: `{byVersion: {"<3.9": -1, ">=3.9": "== $zxid"}}`. */
export function versioned<T extends z.ZodType>(schema: T) {
  return z.union([schema, z.strictObject({ byVersion: z.record(z.string(), schema) })]);
}

const errorNames = Object.keys(ErrorCode) as [keyof typeof ErrorCode, ...(keyof typeof ErrorCode)[]];
export const ErrorName = z.enum(errorNames);
const eventTypeNames = Object.keys(EventType) as [string, ...string[]];
const keeperStateNames = Object.keys(KeeperState) as [string, ...string[]];

/** Scenario paths are under the scenario's root (`/a` is `<root>/a`); `rawPath` is sent verbatim. */
const PathFields = { path: z.string().optional(), rawPath: z.string().optional() };

/** Node data: UTF-8 text, null, hex bytes, or `size` bytes of 'x'. */
export const DataSpec = z.union([
  z.string(),
  z.null(),
  z.strictObject({ hex: z.string().regex(/^(?:[0-9a-fA-F]{2})*$/, 'hex must be pairs of hex digits') }),
  z.strictObject({ size: z.number().int().min(0).max(16 * 1024 * 1024) }),
]);

export const CreateModeName = z.enum([
  'persistent',
  'ephemeral',
  'persistent_sequential',
  'ephemeral_sequential',
  'container',
  'persistent_with_ttl',
  'persistent_sequential_with_ttl',
]);

/** Perms as a number or names joined by `|`: `READ|WRITE`, `ALL`. */
export const PermsSpec = z.union([
  z.number().int().min(0).max(31),
  z.string().regex(/^(?:READ|WRITE|CREATE|DELETE|ADMIN|ALL)(?:\|(?:READ|WRITE|CREATE|DELETE|ADMIN|ALL))*$/, 'perms are names joined by |, e.g. READ|WRITE'),
]);

/** `{perms, id: "scheme:id"}`, or `{perms, digest: "user:password"}` (the digest id is computed). */
export const AclEntrySpec = z.union([
  z.strictObject({ perms: PermsSpec, id: z.string().regex(/^[^:]+:/, 'id is scheme:id, e.g. world:anyone') }),
  z.strictObject({ perms: PermsSpec, digest: z.string().regex(/^[^:]+:/, 'digest is user:password') }),
]);
/** `open` (world:anyone ALL), `creatorAll` (auth: ALL), `read` (world:anyone READ), a list, or null (sent as a null vector). */
export const AclSpec = z.union([z.enum(['open', 'creatorAll', 'read']), z.array(AclEntrySpec), z.null()]);

/** A number, or a relation such as `> czxid`, `== $zxid`, `>= $saved.stat.mzxid && < mzxid`. */
export const NumberOrRelation = z.union([z.number().int(), z.string()]);

const StatExpect = z.strictObject({
  czxid: versioned(NumberOrRelation).optional(),
  mzxid: versioned(NumberOrRelation).optional(),
  ctime: versioned(NumberOrRelation).optional(),
  mtime: versioned(NumberOrRelation).optional(),
  version: versioned(NumberOrRelation).optional(),
  cversion: versioned(NumberOrRelation).optional(),
  aversion: versioned(NumberOrRelation).optional(),
  /** 0 (none), or the name of the owning session. */
  ephemeralOwner: z.union([z.literal(0), z.string()]).optional(),
  dataLength: versioned(NumberOrRelation).optional(),
  numChildren: versioned(NumberOrRelation).optional(),
  pzxid: versioned(NumberOrRelation).optional(),
});
export type StatExpect = z.infer<typeof StatExpect>;

const MultiResultExpect = z.strictObject({
  /** For a success: the op it answers (create, create2, delete, setData, check, getData, getChildren). */
  op: z.string().optional(),
  /** For an error result (a failed multi, or a failed read in multiRead). */
  err: ErrorName.optional(),
  path: z.string().optional(),
  stat: StatExpect.optional(),
  data: DataSpec.optional(),
  children: z.array(z.string()).optional(),
});
export type MultiResultExpect = z.infer<typeof MultiResultExpect>;

const ReplyExpect = z.strictObject({
  err: versioned(ErrorName).optional(),
  /** The acting session's connection is closed after the step (auth failure, closeSession, a fatal request). */
  closed: versioned(z.boolean()).optional(),
  /** The reply header's zxid. */
  zxid: versioned(NumberOrRelation).optional(),
  path: versioned(z.string()).optional(),
  data: versioned(DataSpec).optional(),
  stat: versioned(StatExpect).optional(),
  /** Compared as a set (servers return children in hash order). */
  children: versioned(z.array(z.string())).optional(),
  acl: versioned(z.array(AclEntrySpec)).optional(),
  ephemerals: versioned(z.array(z.string())).optional(),
  count: versioned(z.number().int()).optional(),
  clientInfo: versioned(z.array(z.strictObject({ authScheme: z.string(), user: z.string() }))).optional(),
  results: versioned(z.array(versioned(MultiResultExpect))).optional(),
  /** Four-letter words: the exact reply, a regular expression it must match, or its `key:` lines in order. */
  text: versioned(z.string()).optional(),
  match: versioned(z.string()).optional(),
  keys: versioned(z.array(z.string())).optional(),
  /** connect: the negotiated timeout; 0 means the session is expired or the password wrong. */
  timeOut: versioned(NumberOrRelation).optional(),
  /** connect: the session the server attached (a session name, or 0 for none). */
  sessionId: z.union([z.literal(0), z.string()]).optional(),
  /** connect: whether the reply carried the readOnly byte (absent for short requests). */
  readOnlyByte: versioned(z.boolean()).optional(),
  /** raw: the reply body after the header, hex. */
  bodyHex: versioned(z.string()).optional(),
});
export type ReplyExpect = z.infer<typeof ReplyExpect>;

const EventExpect = z.strictObject({
  type: z.enum(eventTypeNames),
  path: z.string(),
  state: z.enum(keeperStateNames).optional(),
  zxid: versioned(NumberOrRelation).optional(),
  /** Acting session only: the event arrived before the reply of the step's request. */
  beforeReply: z.boolean().optional(),
});
export type EventExpect = z.infer<typeof EventExpect>;

/** Per session, the notifications the step must produce, in order; `any` skips the check. */
const EventsExpect = z.union([z.literal('any'), z.record(z.string(), versioned(z.array(EventExpect)))]);

const common = {
  /** The acting session (default: the first declared). */
  session: z.string().optional(),
  /** Run this step only on these versions. */
  versions: z.string().optional(),
  /** What the step shows, in reports. */
  note: z.string().optional(),
  /**
   * Diff mode: fields of this step's normalised result not to compare (prefixes such as
   * `stat.cversion`), for values that depend on the server's state outside the scenario.
   */
  diffIgnore: z.array(z.string()).optional(),
  /** Keep this step's results for relations in later steps (`$name.stat.mzxid`). */
  save: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a save name is an identifier').optional(),
  expect: versioned(ReplyExpect).optional(),
  /** Events per session during the step; sessions not listed must receive none. */
  expectEvents: versioned(EventsExpect).optional(),
};

const createFields = {
  ...PathFields,
  data: DataSpec.optional(),
  /** A CreateMode name, or the raw flags number. */
  mode: z.union([CreateModeName, z.number().int()]).optional(),
  acl: AclSpec.optional(),
  /** ms, for the TTL modes. */
  ttl: z.number().int().optional(),
  /** Force the opcode (the default follows the Java client: containers use createContainer, TTL modes createTTL). */
  opcode: z.enum(['create', 'create2', 'createContainer', 'createTTL']).optional(),
};

const MultiSubOp = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('create'), ...createFields }),
  z.strictObject({ op: z.literal('create2'), ...createFields }),
  z.strictObject({ op: z.literal('delete'), ...PathFields, version: z.number().int().optional() }),
  z.strictObject({ op: z.literal('setData'), ...PathFields, data: DataSpec, version: z.number().int().optional() }),
  z.strictObject({ op: z.literal('check'), ...PathFields, version: z.number().int() }),
  z.strictObject({ op: z.literal('getData'), ...PathFields }),
  z.strictObject({ op: z.literal('getChildren'), ...PathFields }),
]);
export type MultiSubOp = z.infer<typeof MultiSubOp>;

const WatcherTypeName = z.enum(['children', 'data', 'any', 'persistent', 'persistentRecursive']);

export const Step = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('create'), ...common, ...createFields }),
  z.strictObject({ op: z.literal('create2'), ...common, ...createFields }),
  z.strictObject({ op: z.literal('delete'), ...common, ...PathFields, version: z.number().int().optional() }),
  z.strictObject({ op: z.literal('exists'), ...common, ...PathFields, watch: z.boolean().optional() }),
  z.strictObject({ op: z.literal('getData'), ...common, ...PathFields, watch: z.boolean().optional() }),
  z.strictObject({ op: z.literal('setData'), ...common, ...PathFields, data: DataSpec, version: z.number().int().optional() }),
  z.strictObject({ op: z.literal('getACL'), ...common, ...PathFields }),
  z.strictObject({ op: z.literal('setACL'), ...common, ...PathFields, acl: AclSpec, version: z.number().int().optional() }),
  z.strictObject({ op: z.literal('getChildren'), ...common, ...PathFields, watch: z.boolean().optional() }),
  z.strictObject({ op: z.literal('getChildren2'), ...common, ...PathFields, watch: z.boolean().optional() }),
  z.strictObject({ op: z.literal('sync'), ...common, ...PathFields }),
  /** The check opcode (13) on its own, outside a multi. */
  z.strictObject({ op: z.literal('check'), ...common, ...PathFields, version: z.number().int() }),
  z.strictObject({ op: z.literal('multi'), ...common, ops: z.array(MultiSubOp) }),
  z.strictObject({ op: z.literal('multiRead'), ...common, ops: z.array(MultiSubOp) }),
  z.strictObject({ op: z.literal('addWatch'), ...common, ...PathFields, mode: z.enum(['persistent', 'persistentRecursive']) }),
  z.strictObject({ op: z.literal('removeWatches'), ...common, ...PathFields, watcherType: WatcherTypeName }),
  z.strictObject({ op: z.literal('checkWatches'), ...common, ...PathFields, watcherType: WatcherTypeName }),
  /** Ephemerals of the session under `path` (default: the scenario root). */
  z.strictObject({ op: z.literal('getEphemerals'), ...common, ...PathFields }),
  z.strictObject({ op: z.literal('getAllChildrenNumber'), ...common, ...PathFields }),
  z.strictObject({ op: z.literal('whoAmI'), ...common }),
  z.strictObject({ op: z.literal('auth'), ...common, scheme: z.string(), auth: z.string() }),
  /** closeSession: the server replies, then closes the connection. */
  z.strictObject({ op: z.literal('close'), ...common }),
  /** Drop the connection without closeSession and wait until the server expires the session. */
  z.strictObject({ op: z.literal('expire'), ...common }),
  /**
   * Open the session's connection (for sessions declared `connect: false`), optionally
   * re-attaching another session's id (`reattach`), with its password or a wrong one.
   */
  z.strictObject({
    op: z.literal('connect'),
    ...common,
    reattach: z.string().optional(),
    badPassword: z.boolean().optional(),
    /** lastZxidSeen as a decimal string; `ahead` means far beyond anything the server has seen. */
    lastZxidSeen: z.union([z.literal('ahead'), z.string().regex(/^\d+$/)]).optional(),
  }),
  /** A request header with any opcode and body bytes (hex), for edge cases. */
  z.strictObject({ op: z.literal('raw'), ...common, opcode: z.number().int(), body: z.string().regex(/^(?:[0-9a-fA-F]{2})*$/).optional() }),
  /** A four-letter word on a fresh connection; the reply is in `text`. */
  z.strictObject({ op: z.literal('fourLetterWord'), ...common, word: z.string().length(4) }),
]);
export type Step = z.infer<typeof Step>;
export type StepOp = Step['op'];

const SessionDecl = z.strictObject({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'a session name is an identifier'),
  /** Requested session timeout, ms (default 30000; the server clamps it). */
  timeout: z.number().int().positive().optional(),
  shortConnect: z.boolean().optional(),
  readOnly: z.boolean().optional(),
  /** false: open it later with a `connect` step. */
  connect: z.boolean().optional(),
});
export type SessionDecl = z.infer<typeof SessionDecl>;

export const ZooKeeperScenario = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a scenario name is letters, digits, - _ and .'),
  description: z.string().optional(),
  versions: z.string().optional(),
  requires: z.array(z.enum(CAPABILITIES)).optional(),
  sessions: z.array(z.union([SessionDecl.shape.name, SessionDecl])).min(1).optional(),
  steps: z.array(Step).min(1),
  /** Nodes outside the scenario root (rawPath) to delete afterwards, whatever happened. */
  cleanup: z.array(z.string().startsWith('/')).optional(),
});
export type ZooKeeperScenario = z.infer<typeof ZooKeeperScenario>;

export const ZooKeeperScenarioFile = z.strictObject({
  /** What the file covers, for readers. */
  description: z.string().optional(),
  scenarios: z.array(ZooKeeperScenario).min(1),
});
export type ZooKeeperScenarioFile = z.infer<typeof ZooKeeperScenarioFile>;
