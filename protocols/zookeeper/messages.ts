import type { BodyCodec } from './body-codec.js';
import { CodecError, CodecErrorCode } from './codec-error.js';
import { JuteReader, type JuteReaderOptions } from './jute-reader.js';
import type { JuteWriter } from './jute-writer.js';
import { opCodeName } from './op-codes.js';
import {
  requestCodecOf,
  responseCodecOf,
  type RequestBody,
  type RequestType,
  type ResponseBody,
} from './op-table.js';
import {
  ConnectRequest,
  ConnectResponse,
  ReplyHeader,
  RequestHeader,
  WatcherEvent,
} from './records.js';
import { SpecialXid } from './special-xids.js';
import { DEFAULT_MAX_FRAME_SIZE } from './frame-reader.js';

/**
 * Whole messages of the client protocol, for both sides: a client writes requests and reads
 * replies; a server reads requests and writes replies. Writers append a complete frame
 * (length prefix included) to a JuteWriter, so many messages can be batched into one socket
 * write. Readers take one frame payload as produced by FrameReader.
 */

/** A decoded request: the header's xid and type, and the body record of that type. */
export type ZkRequest = { [K in RequestType]: { xid: number; type: K; body: RequestBody<K> } }[RequestType];

/**
 * A request whose header decoded but whose body did not (or whose opcode is unknown). Apache
 * answers such a request with MARSHALLINGERROR (bad body) rather than dropping the
 * connection, which needs the xid; hence the header rides along.
 */
export class MalformedRequestError extends CodecError {
  readonly header: RequestHeader;
  constructor(header: RequestHeader, cause: CodecError) {
    super(cause.code as CodecErrorCode, cause.message);
    this.header = header;
  }
}

function writeBody<T>(w: JuteWriter, codec: BodyCodec<T> | null | undefined, body: T, what: string): void {
  if (codec === undefined) throw new CodecError(CodecErrorCode.unknownOp, `no record is defined for ${what}`);
  if (codec !== null) codec.encode(w, body);
}

function frame(w: JuteWriter, maxFrameSize: number, write: () => void): void {
  const start = w.beginFrame();
  try {
    write();
  } catch (e) {
    w.truncate(start);
    throw e;
  }
  w.endFrame(start, maxFrameSize);
}

function readerFor(payload: Buffer, reader: JuteReader | undefined): JuteReader {
  return reader === undefined ? new JuteReader(payload) : reader.reset(payload);
}

// ── handshake ────────────────────────────────────────────────────────────────

export function writeConnectRequest(w: JuteWriter, request: ConnectRequest, maxFrameSize = DEFAULT_MAX_FRAME_SIZE): void {
  frame(w, maxFrameSize, () => ConnectRequest.encode(w, request));
}

/** `readOnly` is undefined when the client sent the short (pre-3.5) form. */
export function decodeConnectRequest(payload: Buffer, options?: JuteReaderOptions): ConnectRequest {
  return ConnectRequest.decode(new JuteReader(payload, 0, payload.length, options));
}

/**
 * Writes the ConnectResponse in the form the client asked in: short (no readOnly byte) when
 * its ConnectRequest was short, as Apache's ProtocolManager does; old clients choke on the
 * extra byte otherwise.
 */
export function writeConnectResponse(
  w: JuteWriter,
  response: ConnectResponse,
  requestForm: Pick<ConnectRequest, 'readOnly'>,
  maxFrameSize = DEFAULT_MAX_FRAME_SIZE,
): void {
  const shaped: ConnectResponse =
    requestForm.readOnly === undefined
      ? { protocolVersion: response.protocolVersion, timeOut: response.timeOut, sessionId: response.sessionId, passwd: response.passwd }
      : { ...response, readOnly: response.readOnly ?? false };
  frame(w, maxFrameSize, () => ConnectResponse.encode(w, shaped));
}

export function decodeConnectResponse(payload: Buffer, options?: JuteReaderOptions): ConnectResponse {
  return ConnectResponse.decode(new JuteReader(payload, 0, payload.length, options));
}

// ── requests ─────────────────────────────────────────────────────────────────

/** Appends one request frame: RequestHeader{xid, type} + the body record of `type`. */
export function writeRequest<K extends RequestType>(
  w: JuteWriter,
  xid: number,
  type: K,
  body: RequestBody<K>,
  maxFrameSize = DEFAULT_MAX_FRAME_SIZE,
): void {
  frame(w, maxFrameSize, () => {
    w.int(xid);
    w.int(type);
    writeBody(w, requestCodecOf(type), body, `request ${opCodeName(type)}`);
  });
}

/**
 * Decodes one request frame (any frame after the handshake). Throws MalformedRequestError
 * (carrying the header) when the body is bad or the opcode unknown, plain CodecError when
 * not even the header fits. Trailing bytes after the body are ignored, as Apache does.
 */
export function decodeRequest(payload: Buffer, reader?: JuteReader): ZkRequest {
  const r = readerFor(payload, reader);
  const header = RequestHeader.decode(r);
  const codec = requestCodecOf(header.type);
  if (codec === undefined) {
    throw new MalformedRequestError(
      header,
      new CodecError(CodecErrorCode.unknownOp, `unknown request type ${header.type} (xid ${header.xid})`),
    );
  }
  try {
    const body = codec === null ? undefined : codec.decode(r);
    return { xid: header.xid, type: header.type, body } as ZkRequest;
  } catch (e) {
    if (e instanceof CodecError) throw new MalformedRequestError(header, e.within(`request ${opCodeName(header.type)}`));
    throw e;
  }
}

// ── replies ──────────────────────────────────────────────────────────────────

/**
 * Appends one reply frame: ReplyHeader + the success body of `type`. Pass `undefined` as the
 * body when `err` is not 0: error replies carry no body.
 */
export function writeReply<K extends RequestType>(
  w: JuteWriter,
  header: ReplyHeader,
  type: K,
  body: ResponseBody<K> | undefined,
  maxFrameSize = DEFAULT_MAX_FRAME_SIZE,
): void {
  frame(w, maxFrameSize, () => {
    ReplyHeader.encode(w, header);
    if (header.err === 0) writeBody(w, responseCodecOf(type), body, `reply to ${opCodeName(type)}`);
  });
}

/** Appends a header-only reply (errors, ping, and ops with no reply body). */
export function writeHeaderOnlyReply(w: JuteWriter, header: ReplyHeader, maxFrameSize = DEFAULT_MAX_FRAME_SIZE): void {
  frame(w, maxFrameSize, () => ReplyHeader.encode(w, header));
}

/**
 * Appends a watch notification: ReplyHeader{xid -1, zxid, err 0} + WatcherEvent. Apache 3.8
 * always sends zxid -1 here; 3.9 sends the triggering transaction's zxid.
 */
export function writeNotification(w: JuteWriter, zxid: bigint, event: WatcherEvent, maxFrameSize = DEFAULT_MAX_FRAME_SIZE): void {
  frame(w, maxFrameSize, () => {
    ReplyHeader.encode(w, { xid: SpecialXid.notification, zxid, err: 0 });
    WatcherEvent.encode(w, event);
  });
}

/** Reads the ReplyHeader at the start of a reply frame; the reader is left at the body. */
export function decodeReplyHeader(payload: Buffer, reader?: JuteReader): { header: ReplyHeader; reader: JuteReader } {
  const r = readerFor(payload, reader);
  return { header: ReplyHeader.decode(r), reader: r };
}

/**
 * Reads the success body of a reply to `type` (call only when the header's err is 0; the
 * caller knows `type` from the pending request the xid matched).
 */
export function decodeResponseBody<K extends RequestType>(type: K, reader: JuteReader): ResponseBody<K> {
  const codec = responseCodecOf(type);
  if (codec === undefined) throw new CodecError(CodecErrorCode.unknownOp, `no reply record is defined for ${opCodeName(type)}`);
  return (codec === null ? undefined : codec.decode(reader)) as ResponseBody<K>;
}

/** A whole reply frame at once: header, then the body when err is 0. */
export function decodeReply<K extends RequestType>(
  type: K,
  payload: Buffer,
  reader?: JuteReader,
): { header: ReplyHeader; body: ResponseBody<K> | undefined } {
  const { header, reader: r } = decodeReplyHeader(payload, reader);
  return { header, body: header.err === 0 ? decodeResponseBody(type, r) : undefined };
}

/** The WatcherEvent of a notification frame (header xid -1), the reader being past the header. */
export function decodeWatcherEvent(reader: JuteReader): WatcherEvent {
  return WatcherEvent.decode(reader);
}
