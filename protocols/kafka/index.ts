/**
 * The Kafka wire codec: schemas for each API, compiled per version into encoders/decoders,
 * request/response headers and frames, the streaming frame reader, error codes, API keys
 * and per-release version tables. Record batches (the opaque `records` fields) are decoded
 * by protocols/kafka/records/.
 */
export { ApiKey, apiKeyName } from './api-keys.js';
export { KafkaApis, kafkaApiByKey, allKafkaApis, isFlexibleVersion, type KafkaApi, type KafkaApiName } from './api-catalog.js';
export { ByteReader } from './byte-reader.js';
export { ByteWriter } from './byte-writer.js';
export { KafkaCodecError, KafkaFrameTooLargeError } from './codec-error.js';
export { KAFKA_ERRORS, ErrorCode, errorCode, kafkaError, type KafkaErrorInfo } from './error-codes.js';
export { FrameReader, DEFAULT_MAX_FRAME_SIZE, type FrameReaderOptions } from './frame-reader.js';
export { RequestHeader, ResponseHeader, requestHeaderVersion, responseHeaderVersion } from './headers.js';
export {
  encodeRequestFrame,
  decodeRequestHeader,
  decodeRequestFrame,
  decodeRequestFrameAs,
  encodeResponseFrame,
  decodeResponseFrame,
  peekCorrelationId,
  UnsupportedRequestError,
  type RequestHeaderFields,
  type DecodedRequest,
} from './message-frames.js';
export { KAFKA_RELEASE_API_VERSIONS, apiVersionsForRelease, knownKafkaReleases, type KafkaRelease, type AdvertisedApiVersion } from './release-versions.js';
export { codecFor, compileCodec, encodeMessage, decodeMessage, ZERO_UUID, type VersionCodec } from './schema/compile-codec.js';
export { defineMessage, type FieldSpec, type MessageSpec, type MessageOf, type MessageInput, type UnknownTaggedField } from './schema/message-schema.js';
export { parseVersionRange, versionInRange, type VersionRange } from './schema/version-range.js';
