import type { BodyCodec } from './body-codec.js';
import { CodecError, CodecErrorCode } from './codec-error.js';
import type { JuteReader } from './jute-reader.js';
import type { JuteWriter } from './jute-writer.js';
import { OpCode, opCodeName } from './op-codes.js';
import {
  CheckVersionRequest,
  Create2Response,
  CreateRequest,
  CreateResponse,
  CreateTTLRequest,
  DeleteRequest,
  ErrorResponse,
  GetChildrenRequest,
  GetChildrenResponse,
  GetDataRequest,
  GetDataResponse,
  MultiHeader,
  SetDataRequest,
  SetDataResponse,
} from './records.js';
import type { TypeOf } from './jute-types.js';

/**
 * multi (14) and multiRead (22): a sequence of MultiHeader + record, closed by the header
 * {type -1, done true, err -1} (MultiOperationRecord / MultiResponse). The record after each
 * header is chosen by the header's type, so the sequence itself is written here once, and
 * the per-op records come from the tables below.
 */

/** The ops a multi may carry and the record each one's request is (MultiOperationRecord). */
const multiOpRequest = {
  [OpCode.create]: CreateRequest,
  [OpCode.create2]: CreateRequest,
  [OpCode.createContainer]: CreateRequest,
  [OpCode.createTTL]: CreateTTLRequest,
  [OpCode.delete]: DeleteRequest,
  [OpCode.setData]: SetDataRequest,
  [OpCode.check]: CheckVersionRequest,
  [OpCode.getChildren]: GetChildrenRequest,
  [OpCode.getData]: GetDataRequest,
} as const;

/** The record that follows a successful op's result header (MultiResponse); null = header only. */
const multiOpResult = {
  [OpCode.create]: CreateResponse,
  [OpCode.create2]: Create2Response,
  [OpCode.createContainer]: Create2Response,
  [OpCode.createTTL]: Create2Response,
  [OpCode.delete]: null,
  [OpCode.setData]: SetDataResponse,
  [OpCode.check]: null,
  [OpCode.getChildren]: GetChildrenResponse,
  [OpCode.getData]: GetDataResponse,
} as const;

export type MultiOpType = keyof typeof multiOpRequest;

type WithBody<K, C> = C extends null ? { type: K; body?: undefined } : { type: K; body: TypeOf<C> };

export type MultiOp = { [K in MultiOpType]: WithBody<K, (typeof multiOpRequest)[K]> }[MultiOpType];

/** A failed op, or (when an earlier/later op failed) an op that was rolled back: Apache reports 0 before the failure and RUNTIMEINCONSISTENCY after. */
export interface MultiErrorResult {
  type: typeof OpCode.error;
  err: number;
}
export type MultiResult = { [K in MultiOpType]: WithBody<K, (typeof multiOpResult)[K]> }[MultiOpType] | MultiErrorResult;

export interface MultiRequest {
  ops: MultiOp[];
}
export interface MultiResponse {
  results: MultiResult[];
}

const END: TypeOf<typeof MultiHeader> = { type: -1, done: true, err: -1 };

function unknownOp(type: number, where: string): CodecError {
  return new CodecError(CodecErrorCode.unknownOp, `${opCodeName(type)} (${type}) cannot appear in a ${where}`);
}

function requestCodecOf(type: number): BodyCodec<unknown> {
  const codec = (multiOpRequest as Record<number, BodyCodec<unknown>>)[type];
  if (codec === undefined) throw unknownOp(type, 'multi request');
  return codec;
}

function resultCodecOf(type: number): BodyCodec<unknown> | null {
  const codec = (multiOpResult as Record<number, BodyCodec<unknown> | null>)[type];
  if (codec === undefined) throw unknownOp(type, 'multi response');
  return codec;
}

function within<T>(name: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw e instanceof CodecError ? e.within(name) : e;
  }
}

export const MultiRequestCodec: BodyCodec<MultiRequest> = {
  name: 'MultiRequest',
  decode(r: JuteReader): MultiRequest {
    return within('MultiRequest', () => {
      const ops: MultiOp[] = [];
      // Each pass consumes at least a 9-byte header from a bounded frame, so this ends.
      for (let h = MultiHeader.decode(r); !h.done; h = MultiHeader.decode(r)) {
        ops.push({ type: h.type, body: requestCodecOf(h.type).decode(r) } as MultiOp);
      }
      return { ops };
    });
  },
  encode(w: JuteWriter, v: MultiRequest): void {
    within('MultiRequest', () => {
      for (const op of v.ops) {
        MultiHeader.encode(w, { type: op.type, done: false, err: -1 });
        requestCodecOf(op.type).encode(w, op.body);
      }
      MultiHeader.encode(w, END);
    });
  },
};

export const MultiResponseCodec: BodyCodec<MultiResponse> = {
  name: 'MultiResponse',
  decode(r: JuteReader): MultiResponse {
    return within('MultiResponse', () => {
      const results: MultiResult[] = [];
      for (let h = MultiHeader.decode(r); !h.done; h = MultiHeader.decode(r)) {
        if (h.type === OpCode.error) {
          // Java reads the code from the ErrorResponse body, not the header.
          results.push({ type: OpCode.error, err: ErrorResponse.decode(r).err });
          continue;
        }
        const codec = resultCodecOf(h.type);
        results.push((codec === null ? { type: h.type } : { type: h.type, body: codec.decode(r) }) as MultiResult);
      }
      return { results };
    });
  },
  encode(w: JuteWriter, v: MultiResponse): void {
    within('MultiResponse', () => {
      for (const result of v.results) {
        if (result.type === OpCode.error) {
          MultiHeader.encode(w, { type: OpCode.error, done: false, err: result.err });
          ErrorResponse.encode(w, { err: result.err });
          continue;
        }
        MultiHeader.encode(w, { type: result.type, done: false, err: 0 });
        const codec = resultCodecOf(result.type);
        if (codec !== null) codec.encode(w, result.body);
      }
      MultiHeader.encode(w, END);
    });
  },
};

/** Whether `type` may appear as an op of a multi (used by servers to validate before applying). */
export function isMultiOpType(type: number): type is MultiOpType {
  return type in multiOpRequest;
}
