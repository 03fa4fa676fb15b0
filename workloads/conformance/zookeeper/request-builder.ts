import { createHash } from 'node:crypto';
import {
  AddWatchMode,
  CREATOR_ALL_ACL,
  CreateMode,
  OPEN_ACL_UNSAFE,
  OpCode,
  Perms,
  READ_ACL_UNSAFE,
  WatcherType,
  type ACL,
  type MultiOp,
} from '../../../protocols/zookeeper/index.js';
import type { z } from 'zod';
import type { AclEntrySpec, AclSpec, CreateModeName, DataSpec, MultiSubOp, PermsSpec } from './scenario-schema.js';

/**
 * Turns scenario values into protocol values: paths under the scenario root, data, ACLs,
 * create modes and the opcode the Java client would use for them.
 */
export class RequestBuilder {
  constructor(readonly root: string) {}

  /** `/a` → `<root>/a`, `/` → `<root>`; `rawPath` is sent as written. */
  path(step: { path?: string; rawPath?: string }, fallback = '/'): string {
    if (step.rawPath !== undefined) return step.rawPath;
    const p = step.path ?? fallback;
    return p === '/' ? this.root : this.root + p;
  }

  /** The inverse, for comparing server answers with scenario paths: paths outside the root stay as they are. */
  unroot(path: string): string {
    if (path === this.root) return '/';
    return path.startsWith(this.root + '/') ? path.slice(this.root.length) : path;
  }

  /** A create step's opcode and body (shared by top-level steps and multi ops). */
  create(step: CreateFields, defaultOp: 'create' | 'create2'): MultiOp {
    const flags = typeof step.mode === 'number' ? step.mode : createModeFlags(step.mode ?? 'persistent');
    const opcode = step.opcode ?? defaultOpcode(flags, step.ttl, defaultOp);
    const base = { path: this.path(step), data: dataBytes(step.data ?? null), acl: aclOf(step.acl ?? 'open') as ACL[], flags };
    if (opcode === 'createTTL') return { type: OpCode.createTTL, body: { ...base, ttl: BigInt(step.ttl ?? 0) } };
    return { type: OpCode[opcode], body: base };
  }

  multiOp(op: MultiSubOp): MultiOp {
    switch (op.op) {
      case 'create':
      case 'create2':
        return this.create(op, op.op);
      case 'delete':
        return { type: OpCode.delete, body: { path: this.path(op), version: op.version ?? -1 } };
      case 'setData':
        return { type: OpCode.setData, body: { path: this.path(op), data: dataBytes(op.data), version: op.version ?? -1 } };
      case 'check':
        return { type: OpCode.check, body: { path: this.path(op), version: op.version } };
      case 'getData':
        return { type: OpCode.getData, body: { path: this.path(op), watch: false } };
      case 'getChildren':
        return { type: OpCode.getChildren, body: { path: this.path(op), watch: false } };
    }
  }
}

type CreateFields = {
  path?: string;
  rawPath?: string;
  data?: z.infer<typeof DataSpec>;
  mode?: z.infer<typeof CreateModeName> | number;
  acl?: z.infer<typeof AclSpec>;
  ttl?: number;
  opcode?: 'create' | 'create2' | 'createContainer' | 'createTTL';
};

const modeFlags: Record<z.infer<typeof CreateModeName>, number> = {
  persistent: CreateMode.PERSISTENT,
  ephemeral: CreateMode.EPHEMERAL,
  persistent_sequential: CreateMode.PERSISTENT_SEQUENTIAL,
  ephemeral_sequential: CreateMode.EPHEMERAL_SEQUENTIAL,
  container: CreateMode.CONTAINER,
  persistent_with_ttl: CreateMode.PERSISTENT_WITH_TTL,
  persistent_sequential_with_ttl: CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL,
};

export function createModeFlags(mode: z.infer<typeof CreateModeName>): number {
  return modeFlags[mode];
}

/** ZooKeeper.create's choice: containers use createContainer, a TTL means createTTL. */
function defaultOpcode(flags: number, ttl: number | undefined, op: 'create' | 'create2'): 'create' | 'create2' | 'createContainer' | 'createTTL' {
  if (flags === CreateMode.CONTAINER) return 'createContainer';
  if (ttl !== undefined || flags === CreateMode.PERSISTENT_WITH_TTL || flags === CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL) return 'createTTL';
  return op;
}

export function dataBytes(spec: z.infer<typeof DataSpec>): Buffer | null {
  if (spec === null) return null;
  if (typeof spec === 'string') return Buffer.from(spec, 'utf8');
  if ('hex' in spec) return Buffer.from(spec.hex, 'hex');
  return Buffer.alloc(spec.size, 'x');
}

export function permsOf(spec: z.infer<typeof PermsSpec>): number {
  if (typeof spec === 'number') return spec;
  return spec.split('|').reduce((bits, name) => bits | Perms[name as keyof typeof Perms], 0);
}

/** `digest:user:base64(sha1("user:password"))`, as DigestAuthenticationProvider.generateDigest. */
export function digestId(userPassword: string): string {
  const user = userPassword.slice(0, userPassword.indexOf(':'));
  return `${user}:${createHash('sha1').update(userPassword, 'utf8').digest('base64')}`;
}

export function aclEntryOf(entry: z.infer<typeof AclEntrySpec>): ACL {
  const perms = permsOf(entry.perms);
  if ('digest' in entry) return { perms, id: { scheme: 'digest', id: digestId(entry.digest) } };
  const colon = entry.id.indexOf(':');
  return { perms, id: { scheme: entry.id.slice(0, colon), id: entry.id.slice(colon + 1) } };
}

export function aclOf(spec: z.infer<typeof AclSpec>): ACL[] | null {
  if (spec === null) return null;
  if (spec === 'open') return OPEN_ACL_UNSAFE;
  if (spec === 'creatorAll') return CREATOR_ALL_ACL;
  if (spec === 'read') return READ_ACL_UNSAFE;
  return spec.map(aclEntryOf);
}

export const watcherTypes = {
  children: WatcherType.Children,
  data: WatcherType.Data,
  any: WatcherType.Any,
  persistent: WatcherType.Persistent,
  persistentRecursive: WatcherType.PersistentRecursive,
} as const;

export const addWatchModes = { persistent: AddWatchMode.PERSISTENT, persistentRecursive: AddWatchMode.PERSISTENT_RECURSIVE } as const;
