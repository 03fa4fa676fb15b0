import { describe, expect, it } from 'vitest';
import { parseJaasConfig } from '../../../../servers/zookeeper/auth/jaas-config.js';
import { DigestMd5Server, SaslError, digestMd5ClientResponse, parseDirectives } from '../../../../servers/zookeeper/auth/sasl-digest-md5.js';

describe('SASL DIGEST-MD5 and JAAS', () => {
  it('reads JAAS sections with comments, flags and quoted options', () => {
    const sections = parseJaasConfig(`
      // the server
      Server {
        org.apache.zookeeper.server.auth.DigestLoginModule required
          user_super="adminsecret"
          user_bob="bob \\"quoted\\" secret";
      };
      /* a client */
      Client { com.example.Login optional debug=true; };
    `);
    const server = sections.get('Server')![0]!;
    expect(server.className).toBe('org.apache.zookeeper.server.auth.DigestLoginModule');
    expect(server.flag).toBe('required');
    expect(Object.fromEntries(server.options)).toEqual({ user_super: 'adminsecret', user_bob: 'bob "quoted" secret' });
    expect(sections.get('Client')![0]!.options.get('debug')).toBe('true');
    expect(() => parseJaasConfig('Server { x required a="b" ')).toThrow(/JAAS config/);
  });

  it('parses RFC 2831 directives, quoted or not', () => {
    expect(Object.fromEntries(parseDirectives('realm="a, b",nonce="x\\"y",qop=auth, nc=00000001'))).toEqual({ realm: 'a, b', nonce: 'x"y', qop: 'auth', nc: '00000001' });
  });

  it('challenges, verifies the response and proves itself with rspauth', () => {
    const server = new DigestMd5Server(new Map([['bob', 'secret']]));
    const challenge = server.evaluate(Buffer.alloc(0)).response!.toString();
    expect(challenge).toMatch(/^realm="zk-sasl-md5",nonce="[^"]+",qop="auth",charset=utf-8,algorithm=md5-sess$/);
    const step = server.evaluate(Buffer.from(digestMd5ClientResponse(challenge, 'bob', 'secret', 'fixedcnonce')));
    expect(step.authorizationId).toBe('bob');
    expect(step.response!.toString()).toMatch(/^rspauth=[0-9a-f]{32}$/);
    expect(server.complete).toBe(true);
  });

  it('fails a wrong password, an unknown user and an initial response', () => {
    const users = new Map([['bob', 'secret']]);
    const wrong = new DigestMd5Server(users);
    const c1 = wrong.evaluate(Buffer.alloc(0)).response!.toString();
    expect(() => wrong.evaluate(Buffer.from(digestMd5ClientResponse(c1, 'bob', 'nope')))).toThrow(SaslError);
    const unknown = new DigestMd5Server(users);
    const c2 = unknown.evaluate(Buffer.alloc(0)).response!.toString();
    expect(() => unknown.evaluate(Buffer.from(digestMd5ClientResponse(c2, 'eve', 'secret')))).toThrow(/unknown user/);
    expect(() => new DigestMd5Server(users).evaluate(Buffer.from('hello'))).toThrow(/initial response/);
  });
});
