import { ByteReader } from '../byte-reader.js';
import { ByteWriter } from '../byte-writer.js';
import { KafkaCodecError } from '../codec-error.js';
import type { DefaultValue, FieldSpec, MessageInput, MessageOf, MessageSpec, UnknownTaggedField } from './message-schema.js';
import { parseVersionRange, versionInRange } from './version-range.js';

/**
 * Compiles a message schema at one version into a specialised encoder and decoder.
 *
 * Why generated code: the broker and the load generator decode and encode every request,
 * and a generic interpreter walking field lists per message costs a branch per field per
 * version check. Here the version checks happen once, at compile time, and what runs is
 * straight-line code that builds each struct with one object literal (a stable hidden class).
 * Only our own schemas feed the generator, and every name is checked to be a plain
 * identifier before it is spliced into source.
 */

export interface VersionCodec<M extends MessageSpec = MessageSpec> {
  readonly name: string;
  readonly version: number;
  readonly flexible: boolean;
  encode(w: ByteWriter, value: MessageInput<M>): void;
  decode(r: ByteReader): MessageOf<M>;
}

export const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';
const EMPTY_BUFFER = Buffer.alloc(0);
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED_NAMES = new Set(['unknownTaggedFields', '__proto__', 'constructor', 'prototype']);
const NUMBER_TYPES = new Set(['int8', 'int16', 'uint16', 'int32', 'uint32', 'float64', 'varint']);
const BIGINT_TYPES = new Set(['int64', 'varlong']);

/** Helpers the generated code calls; kept tiny and monomorphic. */
const runtime = {
  nullError(path: string): never {
    throw new KafkaCodecError(`field ${path} is null but not nullable in this version`);
  },
  versionError(path: string, version: number): never {
    throw new KafkaCodecError(`field ${path} has a non-default value but does not exist in version ${version}`);
  },
  writeTag(w: ByteWriter, tag: number, write: (w: ByteWriter, v: unknown) => void, value: unknown): void {
    const sub = new ByteWriter(64);
    write(sub, value);
    const body = sub.toBuffer();
    w.uvarint(tag);
    w.uvarint(body.length);
    w.raw(body);
  },
  /** Slow path: known and unknown tagged fields merged in ascending tag order. */
  writeTagsMerged(
    w: ByteWriter,
    known: Array<[number, (w: ByteWriter, v: unknown) => void, unknown]>,
    unknown: UnknownTaggedField[],
  ): void {
    const all: Array<{ tag: number; data: Buffer }> = unknown.map((u) => ({ tag: u.tag, data: u.data }));
    for (const [tag, write, value] of known) {
      const sub = new ByteWriter(64);
      write(sub, value);
      all.push({ tag, data: sub.toBuffer() });
    }
    all.sort((a, b) => a.tag - b.tag);
    w.uvarint(all.length);
    for (const t of all) {
      w.uvarint(t.tag);
      w.uvarint(t.data.length);
      w.raw(t.data);
    }
  },
  tagSizeError(path: string, tag: number): never {
    throw new KafkaCodecError(`tagged field ${tag} of ${path} did not consume exactly its declared size`);
  },
};

class Generator {
  readonly functions: string[] = [];
  private counter = 0;
  constructor(
    readonly spec: MessageSpec,
    readonly version: number,
  ) {}
  fresh(prefix: string): string {
    return `${prefix}${this.counter++}`;
  }
}

function isArray(f: FieldSpec): boolean {
  return f.type.startsWith('[]');
}
function elementType(f: FieldSpec): string {
  return f.type.slice(2);
}
function isStructLike(type: string): boolean {
  return type === 'struct';
}

function checkName(f: FieldSpec, path: string): void {
  if (!IDENTIFIER.test(f.name) || RESERVED_NAMES.has(f.name)) {
    throw new KafkaCodecError(`schema field ${path} has an invalid name ${JSON.stringify(f.name)}`);
  }
  if ((f.type === 'struct' || f.type === '[]struct') && !f.fields) {
    throw new KafkaCodecError(`schema field ${path} is a struct without fields`);
  }
}

function literal(type: string, d: DefaultValue): string {
  if (d === null) return 'null';
  if (BIGINT_TYPES.has(type)) return `${BigInt(d as number | bigint | string)}n`;
  if (typeof d === 'string') return JSON.stringify(d);
  if (typeof d === 'boolean') return String(d);
  if (typeof d === 'number') return Object.is(d, -0) ? '0' : String(d);
  return `${d}n`;
}

/** Expression producing a fresh default value for `f`. */
function defaultExpr(g: Generator, f: FieldSpec, path: string): string {
  if (f.default !== undefined) {
    if (isArray(f) || f.type === 'struct') {
      if (f.default === null) return 'null';
      throw new KafkaCodecError(`schema field ${path}: arrays and structs may only default to null`);
    }
    return literal(f.type, f.default);
  }
  if (isArray(f)) return '[]';
  if (f.type === 'struct') return `${structDefaultFn(g, f.fields!, path)}()`;
  return scalarDefault(f.type);
}

function scalarDefault(type: string): string {
  if (NUMBER_TYPES.has(type)) return '0';
  if (BIGINT_TYPES.has(type)) return '0n';
  switch (type) {
    case 'bool':
      return 'false';
    case 'string':
      return '""';
    case 'uuid':
      return JSON.stringify(ZERO_UUID);
    case 'bytes':
      return 'EMPTY';
    case 'records':
      return 'null';
  }
  throw new KafkaCodecError(`unknown field type ${type}`);
}

function structDefaultFn(g: Generator, fields: readonly FieldSpec[], path: string): string {
  const fn = g.fresh('z');
  const props = fields.map((f) => {
    checkName(f, `${path}.${f.name}`);
    return `${f.name}: ${defaultExpr(g, f, `${path}.${f.name}`)}`;
  });
  g.functions.push(`function ${fn}() { return { ${props.join(', ')} }; }`);
  return fn;
}

/** Boolean expression: is `x` (a defined value of field `f`) equal to the field's default? */
function isDefaultExpr(g: Generator, f: FieldSpec, x: string, path: string): string {
  if (f.default === null) return `${x} === null`;
  if (isArray(f)) return `(${x} !== null && ${x}.length === 0)`;
  if (f.type === 'struct') {
    const fn = g.fresh('q');
    const checks = f.fields!.map((s) => {
      const sx = `v.${s.name}`;
      return `(${sx} === undefined || ${isDefaultExpr(g, s, sx, `${path}.${s.name}`)})`;
    });
    g.functions.push(`function ${fn}(v) { return ${checks.length ? checks.join(' && ') : 'true'}; }`);
    return `(${x} !== null && ${fn}(${x}))`;
  }
  if (f.type === 'bytes') return f.default === undefined ? `(${x} !== null && ${x}.length === 0)` : `${x} === ${literal(f.type, f.default)}`;
  if (f.type === 'records') return `${x} === null`;
  return `${x} === ${defaultExpr(g, f, path)}`;
}

function scalarRead(type: string, nullable: boolean, flexible: boolean): string {
  if (NUMBER_TYPES.has(type) || BIGINT_TYPES.has(type) || type === 'bool' || type === 'uuid') return `r.${type}()`;
  const kind = type === 'string' ? 'String' : 'Bytes';
  if (type !== 'string' && type !== 'bytes' && type !== 'records') throw new KafkaCodecError(`unknown field type ${type}`);
  if (flexible) return nullable ? `r.compactNullable${kind}()` : `r.compact${kind}()`;
  return nullable ? `r.nullable${kind}()` : `r.${kind.toLowerCase()}()`;
}

function scalarWrite(type: string, nullable: boolean, flexible: boolean, x: string, w: string, path: string): string {
  if (NUMBER_TYPES.has(type) || BIGINT_TYPES.has(type) || type === 'bool' || type === 'uuid') return `${w}.${type}(${x});`;
  const kind = type === 'string' ? 'String' : 'Bytes';
  const guard = nullable ? '' : `if (${x} === null) H.nullError(${JSON.stringify(path)}); `;
  if (flexible) return `${guard}${w}.${nullable ? `compactNullable${kind}` : `compact${kind}`}(${x});`;
  return `${guard}${w}.${nullable ? `nullable${kind}` : kind.toLowerCase()}(${x});`;
}

function fieldFlexible(f: FieldSpec, messageFlexible: boolean, version: number): boolean {
  return f.flexibleVersions === undefined ? messageFlexible : messageFlexible && versionInRange(f.flexibleVersions, version);
}

/** Expression reading field `f` (present, untagged or tagged) at the generator's version. */
function readExpr(g: Generator, f: FieldSpec, flexible: boolean, path: string): string {
  const v = g.version;
  const nullable = versionInRange(f.nullableVersions, v);
  const flex = fieldFlexible(f, flexible, v);
  if (f.type === 'struct') {
    const fn = genDecodeStruct(g, f.fields!, flexible, path);
    return nullable ? `(r.int8() < 0 ? null : ${fn}(r))` : `${fn}(r)`;
  }
  if (isArray(f)) {
    const el = elementType(f);
    const elem = isStructLike(el) ? `${genDecodeStruct(g, f.fields!, flexible, path)}(r)` : scalarRead(el, false, flex);
    const fn = g.fresh('a');
    const count = flex ? 'r.uvarint() - 1' : 'r.int32()';
    const onNull = nullable ? 'return null;' : `throw H.nullError(${JSON.stringify(path)});`;
    g.functions.push(
      `function ${fn}(r) { const n = ${count}; if (n < 0) { ${onNull} } r.arrayCount(n); ` +
        `const a = new Array(n); for (let i = 0; i < n; i++) a[i] = ${elem}; return a; }`,
    );
    return `${fn}(r)`;
  }
  return scalarRead(f.type, nullable, flex);
}

/** Statements writing value `x` of field `f` to writer `w`. */
function writeStmt(g: Generator, f: FieldSpec, flexible: boolean, x: string, w: string, path: string): string {
  const v = g.version;
  const nullable = versionInRange(f.nullableVersions, v);
  const flex = fieldFlexible(f, flexible, v);
  const p = JSON.stringify(path);
  if (f.type === 'struct') {
    const fn = genEncodeStruct(g, f.fields!, flexible, path);
    return nullable
      ? `if (${x} === null) ${w}.int8(-1); else { ${w}.int8(1); ${fn}(${w}, ${x}); }`
      : `if (${x} === null) H.nullError(${p}); ${fn}(${w}, ${x});`;
  }
  if (isArray(f)) {
    const el = elementType(f);
    const elemWrite = isStructLike(el)
      ? `${genEncodeStruct(g, f.fields!, flexible, path)}(${w}, ${x}[i]);`
      : scalarWrite(el, false, flex, `${x}[i]`, w, `${path}[]`);
    const onNull = nullable ? (flex ? `${w}.uvarint(0);` : `${w}.int32(-1);`) : `H.nullError(${p});`;
    const count = flex ? `${w}.uvarint(${x}.length + 1);` : `${w}.int32(${x}.length);`;
    return `if (${x} === null) { ${onNull} } else { ${count} for (let i = 0; i < ${x}.length; i++) { ${elemWrite} } }`;
  }
  return scalarWrite(f.type, nullable, flex, x, w, path);
}

function isTaggedAt(f: FieldSpec, flexible: boolean, version: number): boolean {
  return flexible && f.tag !== undefined && versionInRange(f.taggedVersions ?? f.versions, version);
}

function genDecodeStruct(g: Generator, fields: readonly FieldSpec[], flexible: boolean, path: string): string {
  const fn = g.fresh('d');
  const props: string[] = [];
  const tagCases: string[] = [];
  for (const f of fields) {
    const fpath = `${path}.${f.name}`;
    checkName(f, fpath);
    if (!versionInRange(f.versions, g.version)) {
      props.push(`${f.name}: ${defaultExpr(g, f, fpath)}`);
    } else if (isTaggedAt(f, flexible, g.version)) {
      props.push(`${f.name}: ${defaultExpr(g, f, fpath)}`);
      tagCases.push(`case ${f.tag}: o.${f.name} = ${readExpr(g, f, true, fpath)}; break;`);
    } else {
      props.push(`${f.name}: ${readExpr(g, f, flexible, fpath)}`);
    }
  }
  let body = `const o = { ${props.join(', ')} };`;
  if (flexible) {
    body +=
      ` const tn = r.uvarint(); for (let t = 0; t < tn; t++) { const tag = r.uvarint(); const size = r.uvarint(); const end = r.pos + size;` +
      ` switch (tag) { ${tagCases.join(' ')} default: (o.unknownTaggedFields ??= []).push({ tag, data: r.raw(size) }); }` +
      ` if (r.pos !== end) H.tagSizeError(${JSON.stringify(path)}, tag); }`;
  }
  g.functions.push(`function ${fn}(r) { ${body} return o; }`);
  return fn;
}

function genEncodeStruct(g: Generator, fields: readonly FieldSpec[], flexible: boolean, path: string): string {
  const fn = g.fresh('e');
  const stmts: string[] = ['let x;'];
  const tagged: Array<{ f: FieldSpec; writer: string; has: string; value: string }> = [];
  for (const f of fields) {
    const fpath = `${path}.${f.name}`;
    checkName(f, fpath);
    if (!versionInRange(f.versions, g.version)) {
      if (!f.ignorable) {
        stmts.push(
          `x = o.${f.name}; if (x !== undefined && !(${isDefaultExpr(g, f, 'x', fpath)})) H.versionError(${JSON.stringify(fpath)}, ${g.version});`,
        );
      }
      continue;
    }
    if (isTaggedAt(f, flexible, g.version)) {
      const writer = g.fresh('t');
      g.functions.push(`function ${writer}(w, x) { ${writeStmt(g, f, true, 'x', 'w', fpath)} }`);
      const value = g.fresh('tv');
      const has = g.fresh('th');
      stmts.push(`const ${value} = o.${f.name}; const ${has} = ${value} !== undefined && !(${isDefaultExpr(g, f, value, fpath)});`);
      tagged.push({ f, writer, has, value });
      continue;
    }
    stmts.push(`x = o.${f.name}; if (x === undefined) x = ${defaultExpr(g, f, fpath)}; ${writeStmt(g, f, flexible, 'x', 'w', fpath)}`);
  }
  if (flexible) {
    const count = tagged.length ? tagged.map((t) => `(${t.has} ? 1 : 0)`).join(' + ') : '0';
    const fast = tagged.map((t) => `if (${t.has}) H.writeTag(w, ${t.f.tag}, ${t.writer}, ${t.value});`).join(' ');
    const known = tagged.map((t) => `if (${t.has}) k.push([${t.f.tag}, ${t.writer}, ${t.value}]);`).join(' ');
    stmts.push(
      `const u = o.unknownTaggedFields; if (u === undefined || u.length === 0) { w.uvarint(${count}); ${fast} }` +
        ` else { const k = []; ${known} H.writeTagsMerged(w, k, u); }`,
    );
  }
  g.functions.push(`function ${fn}(w, o) { ${stmts.join(' ')} }`);
  return fn;
}

export function compileCodec<M extends MessageSpec>(spec: M, version: number): VersionCodec<M> {
  const valid = parseVersionRange(spec.validVersions);
  if (!Number.isInteger(version) || version < valid.min || version > valid.max) {
    throw new KafkaCodecError(`${spec.name} has no version ${version} (valid: ${spec.validVersions})`);
  }
  const flexible = versionInRange(spec.flexibleVersions, version);
  const g = new Generator(spec, version);
  const decodeRoot = genDecodeStruct(g, spec.fields, flexible, spec.name);
  const encodeRoot = genEncodeStruct(g, spec.fields, flexible, spec.name);
  const source = `"use strict";\n${g.functions.join('\n')}\nreturn { decode: ${decodeRoot}, encode: ${encodeRoot} };`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- see the file comment
  const built = new Function('EMPTY', 'H', source)(EMPTY_BUFFER, runtime) as {
    decode: (r: ByteReader) => MessageOf<M>;
    encode: (w: ByteWriter, o: MessageInput<M>) => void;
  };
  const label = `${spec.name} v${version}`;
  return {
    name: spec.name,
    version,
    flexible,
    decode(r: ByteReader): MessageOf<M> {
      try {
        return built.decode(r);
      } catch (err) {
        throw wrap(err, `decoding ${label}`);
      }
    },
    encode(w: ByteWriter, value: MessageInput<M>): void {
      try {
        built.encode(w, value);
      } catch (err) {
        throw wrap(err, `encoding ${label}`);
      }
    },
  };
}

function wrap(err: unknown, what: string): KafkaCodecError {
  const msg = err instanceof Error ? err.message : String(err);
  return new KafkaCodecError(`${what}: ${msg}`, { cause: err });
}

const compiled = new WeakMap<MessageSpec, Array<VersionCodec | undefined>>();

/** The codec of `spec` at `version`, compiled on first use and cached. */
export function codecFor<M extends MessageSpec>(spec: M, version: number): VersionCodec<M> {
  let byVersion = compiled.get(spec);
  if (!byVersion) compiled.set(spec, (byVersion = []));
  let codec = byVersion[version];
  if (!codec) {
    codec = compileCodec(spec, version) as unknown as VersionCodec;
    byVersion[version] = codec;
  }
  return codec as unknown as VersionCodec<M>;
}

/** Decode a whole buffer as `spec` at `version`; trailing bytes are an error. */
export function decodeMessage<M extends MessageSpec>(spec: M, version: number, buf: Buffer): MessageOf<M> {
  const r = new ByteReader(buf);
  const msg = codecFor(spec, version).decode(r);
  if (r.remaining !== 0) throw new KafkaCodecError(`${spec.name} v${version}: ${r.remaining} trailing bytes after the message`);
  return msg;
}

/** Encode `value` as `spec` at `version` into one buffer. */
export function encodeMessage<M extends MessageSpec>(spec: M, version: number, value: MessageInput<M>): Buffer {
  const w = new ByteWriter();
  codecFor(spec, version).encode(w, value);
  return w.toBuffer();
}
