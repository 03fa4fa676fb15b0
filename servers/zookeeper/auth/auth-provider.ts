import type { Id } from '../tree/acl.js';

/** What an auth provider sees of the connection asking to authenticate. */
export interface AuthSubject {
  readonly remoteAddress: string;
}

/**
 * Apache's `AuthenticationProvider`: a scheme's rules for ACL ids ("digest", "ip", "sasl").
 * `authenticate` turns an auth packet into ids (null = AUTHFAILED).
 */
export interface AuthProvider {
  readonly scheme: string;
  /** Whether ids of this scheme stand for an authenticated principal ("auth" ACLs expand to them). */
  isAuthenticated(): boolean;
  /** Whether `id` is well-formed for an ACL of this scheme (else INVALIDACL). */
  isValid(id: string): boolean;
  /** Whether the authenticated `id` satisfies the ACL entry's `aclExpr`. */
  matches(id: string, aclExpr: string): boolean;
  authenticate?(subject: AuthSubject, authData: Buffer): Id[] | null;
  /** The user name whoAmI reports. */
  userName(id: string): string;
}
