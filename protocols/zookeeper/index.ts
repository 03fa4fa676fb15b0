/**
 * The ZooKeeper client-protocol codec: jute primitives, every record described once
 * (records.ts), the opcode table, multi, framing, and whole-message helpers for servers and
 * clients. See docs/protocol-zookeeper.md.
 */
export { CodecError, CodecErrorCode } from './codec-error.js';
export { JuteReader, type JuteReaderOptions } from './jute-reader.js';
export { JuteWriter } from './jute-writer.js';
export * from './jute-types.js';
export { record, type RecordValue } from './jute-record.js';
export * from './records.js';
export type { BodyCodec, BodyOf } from './body-codec.js';
export { OpCode, opCodeName, type OpCodeName } from './op-codes.js';
export { ErrorCode, errorCodeName, type ErrorCodeName } from './error-codes.js';
export {
  EventType,
  KeeperState,
  WatcherType,
  AddWatchMode,
  eventTypeName,
  keeperStateName,
} from './watcher-constants.js';
export { CreateMode, isSequential, isEphemeral } from './create-mode.js';
export { Perms, ANYONE_ID_UNSAFE, AUTH_IDS, OPEN_ACL_UNSAFE, CREATOR_ALL_ACL, READ_ACL_UNSAFE } from './acl-constants.js';
export { SpecialXid } from './special-xids.js';
export {
  MultiRequestCodec,
  MultiResponseCodec,
  isMultiOpType,
  type MultiOp,
  type MultiOpType,
  type MultiResult,
  type MultiErrorResult,
  type MultiRequest,
  type MultiResponse,
} from './multi-codec.js';
export {
  opTable,
  isRequestType,
  requestCodecOf,
  responseCodecOf,
  type RequestType,
  type RequestBody,
  type ResponseBody,
} from './op-table.js';
export { FOUR_LETTER_WORDS, fourLetterWordOf, type FourLetterWord } from './four-letter-words.js';
export { FrameReader, DEFAULT_MAX_FRAME_SIZE, type FrameReaderOptions, type FrameHandlers } from './frame-reader.js';
export * from './messages.js';
