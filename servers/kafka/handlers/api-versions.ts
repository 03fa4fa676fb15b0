import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { ErrorCode } from '../../../protocols/kafka/error-codes.js';
import { defineHandler } from './api-handler.js';

/**
 * ApiVersions. Exactly the advertised ranges (see advertised-versions.ts). A request in a
 * version we do not speak never reaches here: the dispatcher answers it in v0 with
 * UNSUPPORTED_VERSION and the key list (KIP-511).
 */
export const apiVersionsHandler = defineHandler({
  api: KafkaApis.ApiVersions,
  minVersion: 0,
  maxVersion: 3,
  handle: (_req, ctx) => ({
    errorCode: ErrorCode.NONE,
    apiKeys: ctx.broker.advertisedVersions,
    throttleTimeMs: 0,
  }),
});
