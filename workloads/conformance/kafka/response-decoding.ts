import { KafkaApis, type KafkaApi } from '../../../protocols/kafka/api-catalog.js';
import { ErrorCode } from '../../../protocols/kafka/error-codes.js';
import { decodeResponseFrame } from '../../../protocols/kafka/message-frames.js';

/**
 * Decodes a response frame of a request sent as `api` v`version`, with the one exception
 * the protocol makes: a broker that does not speak the ApiVersions version it was asked
 * answers in v0 with UNSUPPORTED_VERSION and its key list (KIP-511). ApiVersions responses
 * always have header v0, and the error code is the first body field in every version, so
 * it can be read before choosing the schema. Returns the version actually decoded.
 */
export function decodeStepResponse(api: KafkaApi, version: number, frame: Buffer): { version: number; body: Record<string, unknown> } {
  const downgraded = api.key === KafkaApis.ApiVersions.key && version > 0 && frame.length >= 6 && frame.readInt16BE(4) === ErrorCode.UNSUPPORTED_VERSION;
  const decodeVersion = downgraded ? 0 : version;
  return { version: decodeVersion, body: decodeResponseFrame(api, decodeVersion, frame).body as Record<string, unknown> };
}
