import type { ACL, Id } from './records.js';

/** ZooDefs.Perms: bits of ACL.perms. */
export const Perms = {
  READ: 1,
  WRITE: 2,
  CREATE: 4,
  DELETE: 8,
  ADMIN: 16,
  ALL: 31,
} as const;

/** ZooDefs.Ids. */
export const ANYONE_ID_UNSAFE: Id = { scheme: 'world', id: 'anyone' };
/** Replaced by the caller's authenticated ids on create/setACL. */
export const AUTH_IDS: Id = { scheme: 'auth', id: '' };

// Frozen so a caller cannot change the shared constant; typed mutable to fit record fields.
const frozen = (acl: ACL[]): ACL[] => Object.freeze(acl.map((a) => Object.freeze({ ...a, id: Object.freeze({ ...a.id }) }))) as ACL[];
export const OPEN_ACL_UNSAFE: ACL[] = frozen([{ perms: Perms.ALL, id: ANYONE_ID_UNSAFE }]);
export const CREATOR_ALL_ACL: ACL[] = frozen([{ perms: Perms.ALL, id: AUTH_IDS }]);
export const READ_ACL_UNSAFE: ACL[] = frozen([{ perms: Perms.READ, id: ANYONE_ID_UNSAFE }]);
