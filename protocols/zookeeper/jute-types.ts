import type { JuteReader } from './jute-reader.js';
import type { JuteWriter } from './jute-writer.js';

/**
 * The jute type language (zookeeper.jute) as values: a record schema is an object whose
 * fields are these descriptors, and both encoder and decoder are generated from it
 * (jute-record.ts). `__type` exists only for TypeScript, to infer the decoded value type.
 *
 * Nullability: Java writes a null string/buffer/vector as length -1. `buffer` is always
 * `Buffer | null` (znode data may legitimately be null). Strings and vectors are non-null
 * unless declared with `ustringOrNull`/`nullableVector`, matching where Apache really sends or
 * accepts null; a -1 in a non-null field is rejected with KZ_ZK_UNEXPECTED_NULL.
 *
 * 64-bit `long` fields (zxids, session ids, times, ephemeralOwner, ttl) are `bigint`: session
 * ids use all 64 bits (server id in the top byte), so a double would silently corrupt them.
 */
interface JuteTypeBase<T> {
  /** Phantom: the decoded TypeScript type. Never set at runtime. */
  readonly __type?: T;
  /** The fewest bytes one value can occupy; bounds vector counts against the bytes left. */
  readonly minSize: number;
}

export type PrimitiveKind = 'int' | 'long' | 'bool' | 'ustring' | 'ustringOrNull' | 'buffer';

export interface PrimitiveType<T> extends JuteTypeBase<T> {
  readonly kind: PrimitiveKind;
}

export interface VectorType<T> extends JuteTypeBase<T> {
  readonly kind: 'vector';
  readonly element: AnyJuteType;
  readonly nullable: boolean;
}

/**
 * A field that may be absent at the very end of a record: the readOnly flag of
 * ConnectRequest/ConnectResponse, which pre-3.5 clients (and node-zookeeper-client) omit.
 * Decoded as `undefined` when no bytes are left; encoded only when not `undefined`.
 */
export interface TrailingType<T> extends JuteTypeBase<T | undefined> {
  readonly kind: 'trailing';
  readonly inner: AnyJuteType;
}

export interface RecordCodec<T> extends JuteTypeBase<T> {
  readonly kind: 'record';
  readonly name: string;
  readonly fields: readonly RecordField[];
  /** Reads one record at the reader's position. Throws CodecError naming the record on bad input. */
  decode(reader: JuteReader): T;
  /** Appends one record to the writer. */
  encode(writer: JuteWriter, value: T): void;
}

export interface RecordField {
  readonly name: string;
  readonly type: AnyJuteType;
}

export type JuteType<T> = PrimitiveType<T> | VectorType<T> | TrailingType<T> | RecordCodec<T>;
export type AnyJuteType = JuteType<any>;

/** The decoded TypeScript type of a descriptor. */
export type TypeOf<J> = J extends JuteTypeBase<infer T> ? T : never;

export const int: PrimitiveType<number> = { kind: 'int', minSize: 4 };
export const long: PrimitiveType<bigint> = { kind: 'long', minSize: 8 };
export const bool: PrimitiveType<boolean> = { kind: 'bool', minSize: 1 };
export const ustring: PrimitiveType<string> = { kind: 'ustring', minSize: 4 };
export const ustringOrNull: PrimitiveType<string | null> = { kind: 'ustringOrNull', minSize: 4 };
export const buffer: PrimitiveType<Buffer | null> = { kind: 'buffer', minSize: 4 };

export function vector<E extends AnyJuteType>(element: E): VectorType<TypeOf<E>[]> {
  return { kind: 'vector', element, nullable: false, minSize: 4 };
}

export function nullableVector<E extends AnyJuteType>(element: E): VectorType<TypeOf<E>[] | null> {
  return { kind: 'vector', element, nullable: true, minSize: 4 };
}

export function trailingOptional<E extends AnyJuteType>(inner: E): TrailingType<TypeOf<E>> {
  return { kind: 'trailing', inner, minSize: 0 };
}
