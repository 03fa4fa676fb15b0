import { createHash, randomBytes } from 'node:crypto';

/** A failed SASL exchange; the server answers AUTHFAILED and closes the connection. */
export class SaslError extends Error {}

export interface SaslStep {
  /** The token to send back (null when there is nothing to say). */
  response: Buffer | null;
  /** Set when the exchange succeeded: the authorization id to add as `sasl:<id>`. */
  authorizationId?: string;
}

const md5 = (data: Buffer | string) => createHash('md5').update(data).digest();
const md5Hex = (data: Buffer | string) => createHash('md5').update(data).digest('hex');

/** Parses `key=value,key="quoted, value"` directives (RFC 2831 §7.1). */
export function parseDirectives(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  while (i < text.length) {
    while (i < text.length && (text[i] === ',' || text[i] === ' ' || text[i] === '\t')) i++;
    const eq = text.indexOf('=', i);
    if (eq === -1) break;
    const key = text.slice(i, eq).trim().toLowerCase();
    i = eq + 1;
    let value = '';
    if (text[i] === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        value += text[i];
        i++;
      }
      i++;
    } else {
      const comma = text.indexOf(',', i);
      value = (comma === -1 ? text.slice(i) : text.slice(i, comma)).trim();
      i = comma === -1 ? text.length : comma;
    }
    if (out.has(key)) throw new SaslError(`DIGEST-MD5: directive ${key} appears twice`);
    out.set(key, value);
  }
  return out;
}

/**
 * The server side of SASL DIGEST-MD5 (RFC 2831, qop=auth) as Apache's ZooKeeperSaslServer runs
 * it: protocol "zookeeper", server name and realm "zk-sasl-md5", users and passwords from the
 * JAAS Server section. Step 1 answers the client's empty token with a challenge; step 2 checks
 * the client's response and returns rspauth.
 */
export class DigestMd5Server {
  private step = 0;
  private readonly nonce = randomBytes(30).toString('base64');
  complete = false;

  constructor(
    private readonly users: ReadonlyMap<string, string>,
    private readonly realm = 'zk-sasl-md5',
    private readonly digestUri = 'zookeeper/zk-sasl-md5',
  ) {}

  evaluate(token: Buffer): SaslStep {
    if (this.step === 0) {
      this.step = 1;
      if (token.length !== 0) throw new SaslError('DIGEST-MD5 must not have an initial response');
      const challenge = `realm="${this.realm}",nonce="${this.nonce}",qop="auth",charset=utf-8,algorithm=md5-sess`;
      return { response: Buffer.from(challenge, 'utf8') };
    }
    if (this.step !== 1) throw new SaslError('DIGEST-MD5 exchange already finished');
    this.step = 2;
    const d = parseDirectives(token.toString('utf8'));
    const username = d.get('username');
    const nonce = d.get('nonce');
    const cnonce = d.get('cnonce');
    const nc = d.get('nc');
    const qop = d.get('qop') ?? 'auth';
    const uri = d.get('digest-uri');
    const response = d.get('response');
    const realm = d.get('realm') ?? this.realm;
    const authzid = d.get('authzid');
    if (username === undefined || nonce === undefined || cnonce === undefined || nc === undefined || uri === undefined || response === undefined) {
      throw new SaslError('DIGEST-MD5: incomplete client response');
    }
    if (nonce !== this.nonce) throw new SaslError('DIGEST-MD5: nonce mismatch');
    if (qop !== 'auth') throw new SaslError(`DIGEST-MD5: unsupported qop ${qop}`);
    if (uri !== this.digestUri) throw new SaslError(`DIGEST-MD5: digest-uri ${uri} does not name this server`);
    if (nc !== '00000001') throw new SaslError('DIGEST-MD5: unexpected nonce count');
    const password = this.users.get(username);
    if (password === undefined) throw new SaslError(`DIGEST-MD5: unknown user ${username}`);
    const a1 = Buffer.concat([
      md5(`${username}:${realm}:${password}`),
      Buffer.from(`:${nonce}:${cnonce}${authzid !== undefined ? `:${authzid}` : ''}`, 'utf8'),
    ]);
    const ha1 = md5Hex(a1);
    const expected = md5Hex(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${md5Hex(`AUTHENTICATE:${uri}`)}`);
    if (expected !== response.toLowerCase()) throw new SaslError('DIGEST-MD5: wrong password');
    const rspauth = md5Hex(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${md5Hex(`:${uri}`)}`);
    this.complete = true;
    // Apache authorizes the authentication id (canonicalised as a Kerberos name: a plain user stays as is).
    return { response: Buffer.from(`rspauth=${rspauth}`, 'utf8'), authorizationId: username };
  }
}

/** The client side, for tests (what Java's DigestMD5Client sends). */
export function digestMd5ClientResponse(challenge: string, username: string, password: string, cnonce = randomBytes(16).toString('hex')): string {
  const d = parseDirectives(challenge);
  const realm = d.get('realm') ?? '';
  const nonce = d.get('nonce') ?? '';
  const uri = 'zookeeper/zk-sasl-md5';
  const ha1 = md5Hex(Buffer.concat([md5(`${username}:${realm}:${password}`), Buffer.from(`:${nonce}:${cnonce}`)]));
  const response = md5Hex(`${ha1}:${nonce}:00000001:${cnonce}:auth:${md5Hex(`AUTHENTICATE:${uri}`)}`);
  return `charset=utf-8,username="${username}",realm="${realm}",nonce="${nonce}",nc=00000001,cnonce="${cnonce}",digest-uri="${uri}",maxbuf=65536,response=${response},qop=auth`;
}
