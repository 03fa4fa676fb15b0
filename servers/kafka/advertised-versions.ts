import { apiVersionsForRelease } from '../../protocols/kafka/release-versions.js';
import { emulatesKafka4 } from './emulated-release.js';
import type { ApiHandler } from './handlers/api-handler.js';

export interface AdvertisedVersion {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}

/**
 * KIP-848's ConsumerGroupHeartbeat (68) and ConsumerGroupDescribe (69): the consumer group
 * protocol is generally available, and on by default, from Kafka 4.0. The reference broker
 * offers it only with `--as-version 4.x`; without it, and as 3.9, it stays a classic-groups
 * broker as before.
 */
const KAFKA_4_ONLY_API_KEYS = new Set([68, 69]);

/**
 * The ApiVersions key list: each implemented API with the versions its handler implements,
 * narrowed to an Apache release's ranges with `--as-version` (APIs that release lacks are
 * dropped), as franz-go's kfake does.
 */
export function advertisedVersions(handlers: ApiHandler[], asVersion?: string): AdvertisedVersion[] {
  const release = asVersion ? new Map(apiVersionsForRelease(asVersion).map((v) => [v.apiKey, v])) : undefined;
  const out: AdvertisedVersion[] = [];
  for (const h of handlers) {
    if (KAFKA_4_ONLY_API_KEYS.has(h.api.key) && !emulatesKafka4(asVersion)) continue;
    let min = h.minVersion;
    let max = h.maxVersion;
    if (release) {
      const r = release.get(h.api.key);
      if (!r) continue;
      min = Math.max(min, r.minVersion);
      max = Math.min(max, r.maxVersion);
    }
    if (min <= max) out.push({ apiKey: h.api.key, minVersion: min, maxVersion: max });
  }
  return out.sort((a, b) => a.apiKey - b.apiKey);
}
