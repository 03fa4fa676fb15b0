import { createHash } from 'node:crypto';
import type { Id } from '../tree/acl.js';
import type { AuthProvider, AuthSubject } from './auth-provider.js';
import { javaSplit } from './java-split.js';

/** `user:base64(sha1("user:password"))`, as `DigestAuthenticationProvider.generateDigest`. */
export function generateDigest(idPassword: string): string {
  const user = javaSplit(idPassword, ':', 2)[0] ?? '';
  return `${user}:${createHash('sha1').update(idPassword, 'utf8').digest('base64')}`;
}

/**
 * The "digest" scheme: `addauth digest user:password` authenticates as the id
 * `user:base64(sha1(user:password))`; when that equals the configured superDigest the session
 * is also "super" (all ACLs pass).
 */
export class DigestAuthProvider implements AuthProvider {
  readonly scheme = 'digest';

  constructor(private readonly superDigest: string | null) {}

  isAuthenticated(): boolean {
    return true;
  }

  isValid(id: string): boolean {
    return javaSplit(id, ':').length === 2;
  }

  matches(id: string, aclExpr: string): boolean {
    return id === aclExpr;
  }

  authenticate(_subject: AuthSubject, authData: Buffer): Id[] {
    const digest = generateDigest(authData.toString('utf8'));
    const ids: Id[] = [];
    if (this.superDigest !== null && digest === this.superDigest) ids.push({ scheme: 'super', id: '' });
    ids.push({ scheme: this.scheme, id: digest });
    return ids;
  }

  userName(id: string): string {
    return javaSplit(id, ':')[0] ?? '';
  }
}
