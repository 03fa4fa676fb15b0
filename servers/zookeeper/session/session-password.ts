/**
 * Session passwords exactly as Apache derives them: 16 bytes from `java.util.Random` seeded
 * with `sessionId ^ 0xB3415C00` (`ZooKeeperServer.generatePasswd`). Matching them byte for
 * byte keeps a session's password stable across our restarts and identical to Apache's.
 */
const SUPER_SECRET = 0xb3415c00n;
const MULTIPLIER = 0x5deece66dn;
const ADDEND = 0xbn;
const MASK48 = (1n << 48n) - 1n;

export function generatePassword(sessionId: bigint): Buffer {
  let seed = (BigInt.asIntN(64, sessionId ^ SUPER_SECRET) ^ MULTIPLIER) & MASK48;
  const nextInt = (): number => {
    seed = (seed * MULTIPLIER + ADDEND) & MASK48;
    return Number(BigInt.asIntN(32, seed >> 16n));
  };
  const out = Buffer.alloc(16);
  for (let i = 0; i < out.length; ) {
    let rnd = nextInt();
    for (let n = Math.min(out.length - i, 4); n-- > 0; rnd >>= 8) out[i++] = rnd & 0xff;
  }
  return out;
}

export function checkPassword(sessionId: bigint, passwd: Uint8Array | null): boolean {
  if (sessionId === 0n || passwd === null) return false;
  return Buffer.from(passwd).equals(generatePassword(sessionId));
}
