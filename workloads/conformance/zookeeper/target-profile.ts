/**
 * The server settings a conformance target gets when `kzbench conformance` starts it
 * (`--target reference` or `apache[:VERSION]`), written as zoo.cfg keys. Unknown zoo.cfg keys
 * become `zookeeper.<key>` system properties in Apache (QuorumPeerConfig) and in the reference
 * server alike, so one list configures both.
 */
export const SUPER_USER = 'super';
export const SUPER_PASSWORD = 'test';
/** base64(sha1("super:test")): the superDigest kazoo's and go-zookeeper's harnesses use. */
export const SUPER_DIGEST = 'super:D/InIHSb7yEEbrWz8b9l71RjZJU=';

/** Four-letter words the profile allows; the others are refused ("... not in the whitelist."). */
export const WHITELISTED_WORDS = ['ruok', 'srvr', 'stat', 'conf', 'envi', 'mntr', 'isro', 'cons', 'wchs', 'dirs'];

export const conformanceZooCfg: Record<string, string> = {
  // createTTL and TTL create modes answer UNIMPLEMENTED without it.
  extendedTypesEnabled: 'true',
  'DigestAuthenticationProvider.superDigest': SUPER_DIGEST,
  '4lw.commands.whitelist': WHITELISTED_WORDS.join(','),
};

/**
 * What a target can do beyond the defaults; scenarios name what they need in `requires:`.
 * `extendedTypes`: TTL nodes. `superDigest`: the `super:test` superuser. `fourLetterWhitelist`:
 * exactly WHITELISTED_WORDS are allowed (only known for targets the runner configured).
 */
export const CAPABILITIES = ['extendedTypes', 'superDigest', 'fourLetterWhitelist'] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** tickTime of conformance targets: the launcher's (and Apache's sample config's) 2000 ms. */
export const TICK_TIME_MS = 2000;
