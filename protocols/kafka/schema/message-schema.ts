/**
 * How a Kafka message is described, once, in the spirit of Apache Kafka's
 * `common/message/*.json`: a field list with version ranges. Encoders and decoders for
 * every version are compiled from these descriptions (compile-codec.ts), and the TypeScript
 * types of decoded messages are inferred from them (`MessageOf`).
 *
 * Field names are the camelCase of Kafka's PascalCase names (ThrottleTimeMs → throttleTimeMs).
 */

export type ScalarType =
  | 'bool'
  | 'int8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'float64'
  | 'varint'
  | 'varlong'
  | 'string'
  | 'bytes'
  | 'records'
  | 'uuid';

export type FieldType = ScalarType | `[]${ScalarType}` | 'struct' | '[]struct';

export type DefaultValue = number | bigint | boolean | string | null;

export interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
  /** Versions in which the field exists ("0+", "3-5", ...). */
  readonly versions: string;
  /** Versions in which the field may be null (strings, bytes, records, arrays, structs). */
  readonly nullableVersions?: string;
  /** Overrides the message's flexible versions for this field (only "none" is used, by the request header's ClientId). */
  readonly flexibleVersions?: string;
  /** Tagged-field number; the field is tagged in `taggedVersions`. */
  readonly tag?: number;
  readonly taggedVersions?: string;
  /** Value when absent in a version or omitted by the caller (Kafka's "default"). */
  readonly default?: DefaultValue;
  /** When false (the default) encoding a non-default value in a version without the field is an error, as in Kafka. */
  readonly ignorable?: boolean;
  /** Fields of a struct or of the elements of a struct array. */
  readonly fields?: readonly FieldSpec[];
  readonly about?: string;
}

export interface MessageSpec {
  readonly name: string;
  readonly apiKey?: number;
  /** `data`: a stored record format (Apache's `"type": "data"` specs, e.g. coordinator log records). */
  readonly type: 'request' | 'response' | 'header' | 'data';
  /** Every version this schema describes. */
  readonly validVersions: string;
  /** Versions encoded with compact strings/arrays/bytes and tagged fields (KIP-482). */
  readonly flexibleVersions: string;
  readonly fields: readonly FieldSpec[];
}

/** A tagged field this codec does not know; kept so a message re-encodes byte-identically. */
export interface UnknownTaggedField {
  tag: number;
  data: Buffer;
}

type ScalarValue<T extends string> = T extends 'bool'
  ? boolean
  : T extends 'int64' | 'varlong'
    ? bigint
    : T extends 'string' | 'uuid'
      ? string
      : T extends 'bytes'
        ? Buffer
        : T extends 'records'
          ? Buffer | null
          : number;

type NullableIf<F, T> = F extends { readonly nullableVersions: string } ? T | null : T;

export type FieldValue<F extends FieldSpec> = F extends { readonly type: '[]struct'; readonly fields: infer S extends readonly FieldSpec[] }
  ? NullableIf<F, StructOf<S>[]>
  : F extends { readonly type: 'struct'; readonly fields: infer S extends readonly FieldSpec[] }
    ? NullableIf<F, StructOf<S>>
    : F['type'] extends `[]${infer E}`
      ? NullableIf<F, ScalarValue<E>[]>
      : NullableIf<F, ScalarValue<F['type']>>;

/** The decoded shape of a field list: every field present (absent-in-version fields hold their default). */
export type StructOf<S extends readonly FieldSpec[]> = {
  -readonly [F in S[number] as F['name']]: FieldValue<F>;
} & { unknownTaggedFields?: UnknownTaggedField[] };

/** The decoded shape of a message. */
export type MessageOf<M extends MessageSpec> = StructOf<M['fields']>;

type InputValue<F extends FieldSpec> = F extends { readonly type: '[]struct'; readonly fields: infer S extends readonly FieldSpec[] }
  ? NullableIf<F, InputOf<S>[]>
  : F extends { readonly type: 'struct'; readonly fields: infer S extends readonly FieldSpec[] }
    ? NullableIf<F, InputOf<S>>
    : FieldValue<F>;

/** What an encoder accepts: any field may be omitted and then takes its default. */
export type InputOf<S extends readonly FieldSpec[]> = {
  -readonly [F in S[number] as F['name']]?: InputValue<F>;
} & { unknownTaggedFields?: UnknownTaggedField[] };

export type MessageInput<M extends MessageSpec> = InputOf<M['fields']>;

/** Identity helper that checks a schema literal and keeps its literal type. */
export function defineMessage<const M extends MessageSpec>(spec: M): M {
  return spec;
}
