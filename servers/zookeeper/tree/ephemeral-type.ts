/**
 * What a znode's `ephemeralOwner` encodes (`EphemeralType.java`): 0 for a persistent node, the
 * owning session id for an ephemeral, 0x8000000000000000 for a container, and (only with
 * `zookeeper.extendedTypesEnabled`) 0xFF00_0000_0000_0000 | ttl for a TTL node.
 */
export const CONTAINER_EPHEMERAL_OWNER = -0x8000000000000000n;
/** The largest TTL the 40 low bits of an extended ephemeralOwner can carry. */
export const MAX_TTL = 0xff_ffff_ffffn;

const EXTENDED_MASK = -0x100000000000000n; // 0xff00000000000000 as a signed long
const RESERVED_BITS_MASK = 0x00ffff0000000000n;

export type EphemeralKind = 'void' | 'normal' | 'container' | 'ttl';

export interface EphemeralTypeOptions {
  extendedTypesEnabled: boolean;
  /** `zookeeper.emulate353TTLNodes`: TTL nodes encoded as 0x80..|ttl, as 3.5.3 did. */
  emulate353TtlNodes: boolean;
}

export function ephemeralKind(owner: bigint, opts: EphemeralTypeOptions): EphemeralKind {
  if (opts.extendedTypesEnabled) {
    // 3.5.3 wrote TTL nodes as 0x80..|ttl; the emulation reads every negative non-container owner as TTL.
    if (opts.emulate353TtlNodes && owner < 0n && owner !== CONTAINER_EPHEMERAL_OWNER) return 'ttl';
    if ((owner & EXTENDED_MASK) === EXTENDED_MASK && ((owner & RESERVED_BITS_MASK) >> 40n) === 0n) return 'ttl';
  }
  if (owner === CONTAINER_EPHEMERAL_OWNER) return 'container';
  return owner === 0n ? 'void' : 'normal';
}

/** Apache always writes the extended form, even when it reads 3.5.3's form. */
export function ttlToEphemeralOwner(ttl: bigint): bigint {
  return EXTENDED_MASK | ttl;
}

export function ttlOfEphemeralOwner(owner: bigint): bigint {
  if ((owner & EXTENDED_MASK) === EXTENDED_MASK) return owner & ~(EXTENDED_MASK | RESERVED_BITS_MASK);
  return owner & 0x0fffffffffffffffn;
}

export function isValidTtl(ttl: bigint): boolean {
  return ttl > 0n && ttl <= MAX_TTL;
}
