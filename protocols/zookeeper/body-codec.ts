import type { JuteReader } from './jute-reader.js';
import type { JuteWriter } from './jute-writer.js';

/**
 * What the message layer needs of a request or response body: a generated record codec
 * (jute-record.ts) or one of the two sequence codecs of multi (multi-codec.ts).
 */
export interface BodyCodec<T> {
  readonly name: string;
  decode(reader: JuteReader): T;
  encode(writer: JuteWriter, value: T): void;
}

/** The value type of a body codec; `undefined` for a header-only message (codec `null`). */
export type BodyOf<C> = C extends BodyCodec<infer T> ? T : undefined;
