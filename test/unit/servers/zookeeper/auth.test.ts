import { describe, expect, it } from 'vitest';
import { AclChecker } from '../../../../servers/zookeeper/auth/acl-checker.js';
import { generateDigest } from '../../../../servers/zookeeper/auth/digest-auth-provider.js';
import { IpAuthProvider, normalizeRemoteAddress } from '../../../../servers/zookeeper/auth/ip-auth-provider.js';
import { Code, KeeperError } from '../../../../servers/zookeeper/keeper-error.js';
import { Perms } from '../../../../servers/zookeeper/tree/acl.js';

const checker = (superDigest: string | null = null) =>
  new AclChecker({ superDigest, digestAuthEnabled: true, extraProviders: ['org.apache.zookeeper.server.auth.SASLAuthenticationProvider'], skipAcl: false });

function code(fn: () => unknown): number {
  try {
    fn();
  } catch (err) {
    return (err as KeeperError).code;
  }
  return 0;
}

describe('ACLs and auth providers', () => {
  it('computes digest ids as user:base64(sha1(user:password))', () => {
    expect(generateDigest('super:test')).toBe('super:D/InIHSb7yEEbrWz8b9l71RjZJU=');
    expect(generateDigest('nocolon')).toMatch(/^nocolon:/);
  });

  it('authenticates digest users, and the superDigest user as super too', () => {
    const acl = checker('super:D/InIHSb7yEEbrWz8b9l71RjZJU=');
    const subject = { remoteAddress: '127.0.0.1' };
    expect(acl.provider('digest')!.authenticate!(subject, Buffer.from('super:test'))).toEqual([
      { scheme: 'super', id: '' },
      { scheme: 'digest', id: 'super:D/InIHSb7yEEbrWz8b9l71RjZJU=' },
    ]);
    expect(acl.provider('digest')!.authenticate!(subject, Buffer.from('bob:pw'))).toEqual([{ scheme: 'digest', id: generateDigest('bob:pw') }]);
  });

  it('grants by any matching entry, world:anyone, or super', () => {
    const acl = checker();
    const bob = [{ scheme: 'ip', id: '127.0.0.1' }, { scheme: 'digest', id: generateDigest('bob:pw') }];
    const nodeAcl = [
      { perms: Perms.READ, id: { scheme: 'digest', id: generateDigest('bob:pw') } },
      { perms: Perms.ALL, id: { scheme: 'ip', id: '10.0.0.0/8' } },
    ];
    expect(acl.allows(nodeAcl, Perms.READ, bob)).toBe(true);
    expect(acl.allows(nodeAcl, Perms.WRITE, bob)).toBe(false);
    expect(acl.allows(nodeAcl, Perms.WRITE, [{ scheme: 'ip', id: '10.1.2.3' }])).toBe(true);
    expect(acl.allows(nodeAcl, Perms.WRITE, [{ scheme: 'super', id: '' }])).toBe(true);
    expect(acl.allows([], Perms.ADMIN, [])).toBe(true);
    expect(code(() => acl.check(nodeAcl, Perms.DELETE, bob))).toBe(Code.NOAUTH);
  });

  it('validates and expands ACLs as fixupACL does', () => {
    const acl = checker();
    const bob = [{ scheme: 'ip', id: '127.0.0.1' }, { scheme: 'digest', id: 'bob:x' }];
    expect(acl.fixup('/a', bob, [{ perms: 31, id: { scheme: 'auth', id: '' } }])).toEqual([{ perms: 31, id: { scheme: 'digest', id: 'bob:x' } }]);
    expect(code(() => acl.fixup('/a', [{ scheme: 'ip', id: '1.2.3.4' }], [{ perms: 31, id: { scheme: 'auth', id: '' } }]))).toBe(Code.INVALIDACL);
    expect(code(() => acl.fixup('/a', bob, null))).toBe(Code.INVALIDACL);
    expect(code(() => acl.fixup('/a', bob, []))).toBe(Code.INVALIDACL);
    expect(code(() => acl.fixup('/a', bob, [{ perms: 31, id: { scheme: 'digest', id: 'a:b:c' } }]))).toBe(Code.INVALIDACL);
    expect(code(() => acl.fixup('/a', bob, [{ perms: 31, id: { scheme: 'digest', id: 'a:' } }]))).toBe(Code.INVALIDACL);
    expect(code(() => acl.fixup('/a', bob, [{ perms: 31, id: { scheme: 'world', id: 'me' } }]))).toBe(Code.INVALIDACL);
    expect(code(() => acl.fixup('/a', bob, [{ perms: 31, id: { scheme: 'nosuch', id: 'x' } }]))).toBe(Code.INVALIDACL);
    expect(acl.fixup('/a', bob, [{ perms: 31, id: { scheme: 'sasl', id: 'zk/host@EXAMPLE.COM' } }])).toHaveLength(1);
    const dup = { perms: 31, id: { scheme: 'world', id: 'anyone' } };
    expect(acl.fixup('/a', bob, [dup, dup])).toEqual([dup]);
  });

  it('matches ip ACLs by address and CIDR, v4 and v6', () => {
    const ip = new IpAuthProvider();
    expect(ip.matches('192.168.1.7', '192.168.1.0/24')).toBe(true);
    expect(ip.matches('192.168.2.7', '192.168.1.0/24')).toBe(false);
    expect(ip.matches('10.0.0.1', '10.0.0.1')).toBe(true);
    expect(ip.matches('::1', '0:0:0:0:0:0:0:1')).toBe(true);
    expect(ip.matches('fe80::1', 'fe80::/16')).toBe(true);
    expect(ip.matches('10.0.0.1', '::1')).toBe(false);
    expect(ip.isValid('1.2.3.4/33')).toBe(false);
    expect(ip.isValid('1.2.3.4/32')).toBe(true);
    expect(ip.isValid('hello')).toBe(false);
    expect(normalizeRemoteAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
  });

  it('reports whoAmI client infos per scheme', () => {
    expect(checker().clientInfos([{ scheme: 'ip', id: '127.0.0.1' }, { scheme: 'digest', id: 'bob:xyz' }, { scheme: 'super', id: '' }])).toEqual([
      { authScheme: 'ip', user: '127.0.0.1' },
      { authScheme: 'digest', user: 'bob' },
      { authScheme: 'super', user: '' },
    ]);
  });
});

describe('ACLs with a null id (as kazoo sends CREATOR_ALL_ACL)', () => {
  it('expands auth entries whatever their id, and answers other null ids as Apache does', () => {
    const acl = checker();
    const bob = [{ scheme: 'ip', id: '127.0.0.1' }, { scheme: 'digest', id: 'bob:x' }];
    expect(acl.fixup('/a', bob, [{ perms: 31, id: { scheme: 'auth', id: null } }])).toEqual([{ perms: 31, id: { scheme: 'digest', id: 'bob:x' } }]);
    expect(code(() => acl.fixup('/a', bob, [{ perms: 31, id: { scheme: 'digest', id: null } }]))).toBe(Code.MARSHALLINGERROR);
    expect(code(() => acl.fixup('/a', bob, [{ perms: 31, id: { scheme: 'world', id: null } }]))).toBe(Code.MARSHALLINGERROR);
    expect(code(() => acl.fixup('/a', bob, [{ perms: 31, id: { scheme: 'nosuch', id: null } }]))).toBe(Code.INVALIDACL);
  });
});
