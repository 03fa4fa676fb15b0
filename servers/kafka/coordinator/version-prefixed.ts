import { ByteReader } from '../../../protocols/kafka/byte-reader.js';
import { KafkaCodecError } from '../../../protocols/kafka/codec-error.js';
import { codecFor, encodeMessage } from '../../../protocols/kafka/schema/compile-codec.js';
import type { MessageInput, MessageOf, MessageSpec } from '../../../protocols/kafka/schema/message-schema.js';

/**
 * Coordinator log records are "version-prefixed" (Apache `MessageUtil.toVersionPrefixedBytes`):
 * an int16 schema version, then the struct encoded at that version.
 */
export function toVersionPrefixedBytes<M extends MessageSpec>(spec: M, version: number, value: MessageInput<M>): Buffer {
  const body = encodeMessage(spec, version, value);
  const out = Buffer.allocUnsafe(2 + body.length);
  out.writeInt16BE(version, 0);
  body.copy(out, 2);
  return out;
}

export function readVersionPrefix(buf: Buffer): number {
  if (buf.length < 2) throw new KafkaCodecError(`version-prefixed record of ${buf.length} bytes has no version`);
  return buf.readInt16BE(0);
}

/** Decodes the struct after the version prefix (trailing bytes are tolerated, as Apache does). */
export function fromVersionPrefixedBytes<M extends MessageSpec>(spec: M, buf: Buffer): MessageOf<M> {
  const version = readVersionPrefix(buf);
  return codecFor(spec, version).decode(new ByteReader(buf.subarray(2)));
}
