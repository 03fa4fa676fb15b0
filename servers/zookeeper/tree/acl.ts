/** ACL records (`org.apache.zookeeper.data.ACL` / `Id`) and the permission bits of `ZooDefs.Perms`. */
export interface Id {
  scheme: string;
  /** null only as a client may send it in an `auth` entry, which fixup replaces (kazoo's CREATOR_ALL_ACL). */
  id: string | null;
}

export interface Acl {
  perms: number;
  id: Id;
}

import { Perms } from '../../../protocols/zookeeper/acl-constants.js';
export { Perms };

export const ANYONE_ID: Id = Object.freeze({ scheme: 'world', id: 'anyone' });
export const OPEN_ACL_UNSAFE: readonly Acl[] = Object.freeze([Object.freeze({ perms: Perms.ALL, id: ANYONE_ID })]);
export const READ_ACL_UNSAFE: readonly Acl[] = Object.freeze([Object.freeze({ perms: Perms.READ, id: ANYONE_ID })]);

export function sameId(a: Id, b: Id): boolean {
  return a.scheme === b.scheme && a.id === b.id;
}

export function aclKey(acl: readonly Acl[]): string {
  let key = '';
  for (const a of acl) key += `${a.perms}\u0000${a.id.scheme}\u0000${a.id.id === null ? '\u0002' : a.id.id}\u0001`;
  return key;
}

/**
 * Interns ACL lists so that a million znodes with the same ACL share one frozen array, as
 * Apache's `ReferenceCountedACLCache` shares one list per distinct ACL. Lists are never
 * released: a server sees few distinct ACLs, and keeping them avoids reference counting.
 */
export class AclInterner {
  private readonly lists = new Map<string, readonly Acl[]>();

  constructor() {
    this.lists.set(aclKey(OPEN_ACL_UNSAFE), OPEN_ACL_UNSAFE);
    this.lists.set(aclKey(READ_ACL_UNSAFE), READ_ACL_UNSAFE);
  }

  intern(acl: readonly Acl[]): readonly Acl[] {
    if (acl === OPEN_ACL_UNSAFE || acl === READ_ACL_UNSAFE) return acl;
    const key = aclKey(acl);
    let shared = this.lists.get(key);
    if (shared === undefined) {
      shared = Object.freeze(acl.map((a) => Object.freeze({ perms: a.perms, id: Object.freeze({ scheme: a.id.scheme, id: a.id.id }) })));
      this.lists.set(key, shared);
    }
    return shared;
  }

  get size(): number {
    return this.lists.size;
  }
}
