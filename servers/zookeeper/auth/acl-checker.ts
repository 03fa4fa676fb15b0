import { Code, KeeperError } from '../keeper-error.js';
import type { Acl, Id } from '../tree/acl.js';
import type { AuthProvider } from './auth-provider.js';
import { DigestAuthProvider } from './digest-auth-provider.js';
import { IpAuthProvider } from './ip-auth-provider.js';
import { SaslAuthProvider } from './sasl-auth-provider.js';

const SASL_PROVIDER_CLASS = 'org.apache.zookeeper.server.auth.SASLAuthenticationProvider';

export interface AclCheckerOptions {
  superDigest: string | null;
  digestAuthEnabled: boolean;
  /** `zookeeper.authProvider.*` class names; the SASL provider is the one we implement. */
  extraProviders: readonly string[];
  skipAcl: boolean;
}

/**
 * ACL evaluation and the provider registry (Apache's `ProviderRegistry`,
 * `ZooKeeperServer.checkACL` and `PrepRequestProcessor.fixupACL`).
 */
export class AclChecker {
  private readonly providers = new Map<string, AuthProvider>();
  readonly skipAcl: boolean;

  constructor(opts: AclCheckerOptions) {
    this.skipAcl = opts.skipAcl;
    const ip = new IpAuthProvider();
    this.providers.set(ip.scheme, ip);
    if (opts.digestAuthEnabled) {
      const digest = new DigestAuthProvider(opts.superDigest);
      this.providers.set(digest.scheme, digest);
    }
    if (opts.extraProviders.includes(SASL_PROVIDER_CLASS)) {
      const sasl = new SaslAuthProvider();
      this.providers.set(sasl.scheme, sasl);
    }
  }

  provider(scheme: string): AuthProvider | undefined {
    return this.providers.get(scheme);
  }

  /** Throws NOAUTH unless `authInfo` grants `perm` on a node with `acl`. */
  check(acl: readonly Acl[], perm: number, authInfo: readonly Id[]): void {
    if (!this.allows(acl, perm, authInfo)) throw new KeeperError(Code.NOAUTH);
  }

  allows(acl: readonly Acl[], perm: number, authInfo: readonly Id[]): boolean {
    if (this.skipAcl || acl.length === 0) return true;
    for (const id of authInfo) if (id.scheme === 'super') return true;
    for (const a of acl) {
      if ((a.perms & perm) === 0) continue;
      if (a.id.scheme === 'world' && a.id.id === 'anyone') return true;
      const provider = this.providers.get(a.id.scheme);
      if (provider === undefined) continue;
      const expr = a.id.id;
      if (expr === null) continue;
      for (const id of authInfo) {
        if (id.scheme === a.id.scheme && id.id !== null && provider.matches(id.id, expr)) return true;
      }
    }
    return false;
  }

  /** Validates an ACL a client sets, expanding `auth` entries to the caller's ids; INVALIDACL otherwise. */
  fixup(path: string, authInfo: readonly Id[], acl: readonly Acl[] | null): Acl[] {
    if (acl === null || acl.length === 0) throw new KeeperError(Code.INVALIDACL, path);
    const unique: Acl[] = [];
    for (const a of acl) {
      if (!unique.some((u) => u.perms === a.perms && u.id.scheme === a.id.scheme && u.id.id === a.id.id)) unique.push(a);
    }
    const out: Acl[] = [];
    for (const a of unique) {
      const { scheme, id } = a.id;
      if (scheme === 'auth') {
        let valid = false;
        for (const cid of authInfo) {
          const provider = this.providers.get(cid.scheme);
          if (provider?.isAuthenticated()) {
            valid = true;
            out.push({ perms: a.perms, id: cid });
          }
        }
        if (!valid) throw new KeeperError(Code.INVALIDACL, path);
      } else if (scheme === 'world' && id === 'anyone') {
        out.push(a);
      } else if (scheme === 'world' && id === null) {
        throw new KeeperError(Code.MARSHALLINGERROR, path);
      } else {
        const provider = this.providers.get(scheme);
        if (provider === undefined) throw new KeeperError(Code.INVALIDACL, path);
        // Apache's providers dereference the id: a null one is a NullPointerException there,
        // answered MARSHALLINGERROR.
        if (id === null) throw new KeeperError(Code.MARSHALLINGERROR, path);
        if (!provider.isValid(id)) throw new KeeperError(Code.INVALIDACL, path);
        out.push(a);
      }
    }
    return out;
  }

  /** whoAmI: the scheme and user of each auth id (`AuthUtil.getClientInfos`). */
  clientInfos(authInfo: readonly Id[]): Array<{ authScheme: string; user: string }> {
    return authInfo.map((id) => ({ authScheme: id.scheme, user: id.id === null ? '' : (this.providers.get(id.scheme)?.userName(id.id) ?? '') }));
  }
}
