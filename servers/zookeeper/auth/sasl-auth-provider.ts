import type { AuthProvider } from './auth-provider.js';

/**
 * The "sasl" ACL scheme (`SASLAuthenticationProvider`): ids are SASL authorization ids. Apache
 * registers it only through `zookeeper.authProvider.N=...SASLAuthenticationProvider`; the id
 * must parse as a Kerberos principal (name[/host][@REALM]).
 */
export class SaslAuthProvider implements AuthProvider {
  readonly scheme = 'sasl';

  isAuthenticated(): boolean {
    return true;
  }

  isValid(id: string): boolean {
    return /^[^/@]+(\/[^/@]+)?(@[^/@]+)?$/.test(id);
  }

  matches(id: string, aclExpr: string): boolean {
    return id === aclExpr;
  }

  userName(id: string): string {
    return id;
  }
}
