import { kafkaApiByKey, isFlexibleVersion, type KafkaApi } from './api-catalog.js';
import { apiKeyName } from './api-keys.js';
import { ByteReader } from './byte-reader.js';
import { ByteWriter } from './byte-writer.js';
import { KafkaCodecError } from './codec-error.js';
import { RequestHeader, ResponseHeader, requestHeaderVersion, responseHeaderVersion } from './headers.js';
import { codecFor } from './schema/compile-codec.js';
import type { MessageInput, MessageOf, MessageSpec, UnknownTaggedField } from './schema/message-schema.js';

/**
 * Whole request/response frames (size prefix + header + body) built from the schemas.
 * The frame reader (frame-reader.ts) cuts frames out of the byte stream; this file gives
 * them meaning.
 */

export interface RequestHeaderFields {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
  unknownTaggedFields?: UnknownTaggedField[];
}

/** Raised for a well-formed header whose API key or version this codec does not support. */
export class UnsupportedRequestError extends KafkaCodecError {
  constructor(
    readonly header: RequestHeaderFields,
    reason: string,
  ) {
    super(reason);
  }
}

function checkVersion(api: KafkaApi, version: number): void {
  if (version < api.minVersion || version > api.maxVersion) {
    throw new KafkaCodecError(`${api.name} v${version} is not supported (this codec speaks v${api.minVersion}-v${api.maxVersion})`);
  }
}

/**
 * Encode a request frame, size prefix included. Returns the writer: `toChunks()` for a
 * socket (zero copy for large record batches) or `toBuffer()`.
 */
export function encodeRequestFrame<Req extends MessageSpec>(
  api: KafkaApi<Req, MessageSpec>,
  header: RequestHeaderFields,
  body: MessageInput<Req>,
  writer: ByteWriter = new ByteWriter(512),
): ByteWriter {
  checkVersion(api, header.apiVersion);
  const size = writer.reserveInt32();
  const before = writer.length;
  const headerVersion = requestHeaderVersion(api.key, header.apiVersion, isFlexibleVersion(api, header.apiVersion));
  codecFor(RequestHeader, headerVersion).encode(writer, {
    requestApiKey: api.key,
    requestApiVersion: header.apiVersion,
    correlationId: header.correlationId,
    clientId: header.clientId,
    unknownTaggedFields: header.unknownTaggedFields,
  });
  codecFor(api.request, header.apiVersion).encode(writer, body);
  ByteWriter.patchInt32(size, writer.length - before);
  return writer;
}

/**
 * Read a request frame's header (the frame without its size prefix). Throws
 * UnsupportedRequestError, which carries the header, for unknown API keys and versions, so
 * a broker can still answer (ApiVersions: error 35 in a v0 response, per KIP-511).
 */
export function decodeRequestHeader(frame: Buffer): { header: RequestHeaderFields; reader: ByteReader } {
  if (frame.length < 8) throw new KafkaCodecError(`request frame of ${frame.length} bytes is too short for a request header`);
  const apiKey = frame.readInt16BE(0);
  const apiVersion = frame.readInt16BE(2);
  const api = kafkaApiByKey(apiKey);
  const reader = new ByteReader(frame);
  if (!api || apiVersion < api.minVersion || apiVersion > api.maxVersion) {
    // Unknown to us: the header of an unknown version is at least v1 (key, version, correlation id, client id).
    const h = codecFor(RequestHeader, 1).decode(reader);
    const header = { apiKey, apiVersion, correlationId: h.correlationId, clientId: h.clientId };
    throw new UnsupportedRequestError(
      header,
      api
        ? `${api.name} v${apiVersion} is not supported (this codec speaks v${api.minVersion}-v${api.maxVersion})`
        : `unknown API key ${apiKey}`,
    );
  }
  const h = codecFor(RequestHeader, requestHeaderVersion(apiKey, apiVersion, isFlexibleVersion(api, apiVersion))).decode(reader);
  const header: RequestHeaderFields = { apiKey, apiVersion, correlationId: h.correlationId, clientId: h.clientId };
  if (h.unknownTaggedFields) header.unknownTaggedFields = h.unknownTaggedFields;
  return { header, reader };
}

export interface DecodedRequest {
  header: RequestHeaderFields;
  api: KafkaApi;
  body: MessageOf<MessageSpec>;
}

/** Decode a whole request frame (no size prefix); trailing bytes are an error. */
export function decodeRequestFrame(frame: Buffer): DecodedRequest {
  const { header, reader } = decodeRequestHeader(frame);
  const api = kafkaApiByKey(header.apiKey)!;
  const body = codecFor(api.request, header.apiVersion).decode(reader);
  if (reader.remaining !== 0) {
    throw new KafkaCodecError(`${api.name} v${header.apiVersion} request has ${reader.remaining} trailing bytes`);
  }
  return { header, api, body };
}

/**
 * Decode a request frame that must be of `api` (throws KafkaCodecError otherwise), with the
 * body typed by that API's request schema.
 */
export function decodeRequestFrameAs<Req extends MessageSpec>(
  api: KafkaApi<Req, MessageSpec>,
  frame: Buffer,
): { header: RequestHeaderFields; body: MessageOf<Req> } {
  const decoded = decodeRequestFrame(frame);
  if (decoded.header.apiKey !== api.key) {
    throw new KafkaCodecError(`expected a ${api.name} request, got ${apiKeyName(decoded.header.apiKey)}`);
  }
  return { header: decoded.header, body: decoded.body as unknown as MessageOf<Req> };
}

/** Encode a response frame, size prefix included (ApiVersions always gets header v0). */
export function encodeResponseFrame<Res extends MessageSpec>(
  api: KafkaApi<MessageSpec, Res>,
  apiVersion: number,
  correlationId: number,
  body: MessageInput<Res>,
  writer: ByteWriter = new ByteWriter(512),
): ByteWriter {
  checkVersion(api, apiVersion);
  const size = writer.reserveInt32();
  const before = writer.length;
  codecFor(ResponseHeader, responseHeaderVersion(api.key, isFlexibleVersion(api, apiVersion))).encode(writer, { correlationId });
  codecFor(api.response, apiVersion).encode(writer, body);
  ByteWriter.patchInt32(size, writer.length - before);
  return writer;
}

/** The correlation id of a response frame (no size prefix), to find the request it answers. */
export function peekCorrelationId(frame: Buffer): number {
  if (frame.length < 4) throw new KafkaCodecError(`response frame of ${frame.length} bytes is too short for a correlation id`);
  return frame.readInt32BE(0);
}

/** Decode a response frame (no size prefix) of a request sent as `api` v`apiVersion`. */
export function decodeResponseFrame<Res extends MessageSpec>(
  api: KafkaApi<MessageSpec, Res>,
  apiVersion: number,
  frame: Buffer,
): { correlationId: number; body: MessageOf<Res> } {
  checkVersion(api, apiVersion);
  const reader = new ByteReader(frame);
  const h = codecFor(ResponseHeader, responseHeaderVersion(api.key, isFlexibleVersion(api, apiVersion))).decode(reader);
  const body = codecFor(api.response, apiVersion).decode(reader);
  if (reader.remaining !== 0) {
    throw new KafkaCodecError(`${apiKeyName(api.key)} v${apiVersion} response has ${reader.remaining} trailing bytes`);
  }
  return { correlationId: h.correlationId, body };
}
