import type { Id } from '../tree/acl.js';
import type { AuthProvider, AuthSubject } from './auth-provider.js';
import { javaSplit } from './java-split.js';

const IPV4_PATTERN = /^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}/;
const IPV6_PATTERN = /:/;

function v4Bytes(addr: string): number[] | null {
  const parts = addr.split('.');
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^[+-]?\d+$/.test(p)) return null;
    const v = Number.parseInt(p, 10);
    if (v < 0 || v > 255) return null;
    out.push(v);
  }
  return out;
}

function v6Bytes(addr: string): number[] | null {
  const halves = addr.split('::');
  let first: string[] = [];
  let second: string[] = [];
  if (halves.length === 1) {
    first = halves[0]!.split(':');
    if (first.length !== 8) return null;
  } else if (halves.length === 2) {
    if (halves[0] !== '') first = halves[0]!.split(':');
    if (halves[1] !== '') second = halves[1]!.split(':');
    if (first.length + second.length >= 8) return null;
  } else {
    return null;
  }
  const out = new Array<number>(16).fill(0);
  const put = (segments: string[], at: number): boolean => {
    for (const seg of segments) {
      if (seg.length === 0 || seg.length > 4 || !/^[0-9a-fA-F]+$/.test(seg)) return false;
      const v = Number.parseInt(seg, 16);
      out[at++] = (v >> 8) & 0xff;
      out[at++] = v & 0xff;
    }
    return true;
  };
  if (!put(first, 0) || !put(second, 16 - second.length * 2)) return null;
  return out;
}

function addrBytes(addr: string): number[] | null {
  if (IPV6_PATTERN.test(addr)) return v6Bytes(addr);
  if (IPV4_PATTERN.test(addr)) return v4Bytes(addr);
  return null;
}

function mask(b: number[], bits: number): void {
  let start = Math.floor(bits / 8);
  let startMask = ~((1 << (8 - (bits % 8))) - 1);
  while (start < b.length) {
    b[start] = b[start]! & startMask;
    startMask = 0;
    start++;
  }
}

/** Node reports IPv4 peers of a dual-stack socket as "::ffff:a.b.c.d"; Apache sees "a.b.c.d". */
export function normalizeRemoteAddress(addr: string): string {
  return addr.startsWith('::ffff:') && IPV4_PATTERN.test(addr.slice(7)) ? addr.slice(7) : addr;
}

/** The "ip" scheme: every connection carries `ip:<peer address>`; ACLs match addresses or CIDR ranges. */
export class IpAuthProvider implements AuthProvider {
  readonly scheme = 'ip';

  isAuthenticated(): boolean {
    return false;
  }

  isValid(id: string): boolean {
    const parts = javaSplit(id, '/', 2);
    const addr = addrBytes(parts[0] ?? '');
    if (addr === null) return false;
    if (parts.length === 2) {
      if (!/^[+-]?\d+$/.test(parts[1]!)) return false;
      const bits = Number.parseInt(parts[1]!, 10);
      if (bits < 0 || bits > addr.length * 8) return false;
    }
    return true;
  }

  matches(id: string, aclExpr: string): boolean {
    const parts = javaSplit(aclExpr, '/', 2);
    const aclAddr = addrBytes(parts[0] ?? '');
    if (aclAddr === null) return false;
    let bits = aclAddr.length * 8;
    if (parts.length === 2) {
      if (!/^[+-]?\d+$/.test(parts[1]!)) return false;
      bits = Number.parseInt(parts[1]!, 10);
      if (bits < 0 || bits > aclAddr.length * 8) return false;
    }
    mask(aclAddr, bits);
    const remote = addrBytes(id);
    if (remote === null) return false;
    mask(remote, bits);
    if (remote.length !== aclAddr.length) return false;
    return remote.every((v, i) => v === aclAddr[i]);
  }

  authenticate(subject: AuthSubject): Id[] {
    return [{ scheme: this.scheme, id: subject.remoteAddress }];
  }

  userName(id: string): string {
    return id;
  }
}
