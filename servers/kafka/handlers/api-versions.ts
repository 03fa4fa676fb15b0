import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { ErrorCode } from '../../../protocols/kafka/error-codes.js';
import type { AdvertisedVersion } from '../advertised-versions.js';
import { defineHandler } from './api-handler.js';

/**
 * ApiVersions. Exactly the advertised ranges (see advertised-versions.ts). A request in a
 * version we do not speak never reaches here: the dispatcher answers it with
 * unsupportedApiVersionsResponse.
 */
export const apiVersionsHandler = defineHandler({
  api: KafkaApis.ApiVersions,
  minVersion: 0,
  // v4 only lifts v3's ban on a supported feature with min version 0 (KAFKA-17011); we list no features.
  maxVersion: 4,
  handle: (_req, ctx) => ({
    errorCode: ErrorCode.NONE,
    apiKeys: ctx.broker.advertisedVersions,
    throttleTimeMs: 0,
  }),
});

/**
 * KIP-511: an ApiVersions request in a version we do not know is answered in v0 with
 * UNSUPPORTED_VERSION and, as the only key, our own ApiVersions range, so the client can
 * retry in a version we speak. Apache lists ApiVersions alone here, not the whole key list.
 */
export function unsupportedApiVersionsResponse(advertised: AdvertisedVersion[]) {
  return {
    errorCode: ErrorCode.UNSUPPORTED_VERSION,
    apiKeys: advertised.filter((v) => v.apiKey === KafkaApis.ApiVersions.key),
  };
}
