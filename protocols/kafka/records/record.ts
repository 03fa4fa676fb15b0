import { KafkaCodecError } from '../codec-error.js';
import {
  type Cursor,
  readVarint,
  readVarlong,
  sizeOfVarint,
  sizeOfVarlong,
  writeVarint,
  writeVarlong,
} from './varint.js';

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

/** One record inside a v2 batch; timestamp and offset are deltas from the batch's base. */
export interface Record {
  /** Unused by Kafka (always 0); kept so a decode/encode round trip is exact. */
  attributes: number;
  timestampDelta: number;
  offsetDelta: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

function sizeOfNullableBytes(b: Buffer | null): number {
  return b === null ? 1 : sizeOfVarint(b.length) + b.length;
}

function bodySize(r: Record): number {
  let size = 1 + sizeOfVarlong(r.timestampDelta) + sizeOfVarint(r.offsetDelta);
  size += sizeOfNullableBytes(r.key) + sizeOfNullableBytes(r.value);
  size += sizeOfVarint(r.headers.length);
  for (const h of r.headers) {
    const keyLen = Buffer.byteLength(h.key, 'utf8');
    size += sizeOfVarint(keyLen) + keyLen + sizeOfNullableBytes(h.value);
  }
  return size;
}

/** Bytes a record takes in a batch, its length prefix included. */
export function sizeOfRecord(r: Record): number {
  const body = bodySize(r);
  return sizeOfVarint(body) + body;
}

function writeNullableBytes(buf: Buffer, pos: number, b: Buffer | null): number {
  if (b === null) return writeVarint(buf, pos, -1);
  pos = writeVarint(buf, pos, b.length);
  b.copy(buf, pos);
  return pos + b.length;
}

/** Writes `r` at `pos` (the buffer is sized with sizeOfRecord); returns the end position. */
export function writeRecord(buf: Buffer, pos: number, r: Record): number {
  pos = writeVarint(buf, pos, bodySize(r));
  buf.writeInt8(r.attributes, pos++);
  pos = writeVarlong(buf, pos, r.timestampDelta);
  pos = writeVarint(buf, pos, r.offsetDelta);
  pos = writeNullableBytes(buf, pos, r.key);
  pos = writeNullableBytes(buf, pos, r.value);
  pos = writeVarint(buf, pos, r.headers.length);
  for (const h of r.headers) {
    const keyLen = Buffer.byteLength(h.key, 'utf8');
    pos = writeVarint(buf, pos, keyLen);
    pos += buf.write(h.key, pos, 'utf8');
    pos = writeNullableBytes(buf, pos, h.value);
  }
  return pos;
}

function readNullableBytes(c: Cursor, limit: number, what: string): Buffer | null {
  const len = readVarint(c);
  if (len < 0) return null;
  if (c.pos + len > limit) throw new KafkaCodecError(`record ${what} of ${len} bytes overruns its record`);
  const b = c.buf.subarray(c.pos, c.pos + len);
  c.pos += len;
  return b;
}

/**
 * Reads one record at the cursor. Keys, values and header values are views into the
 * input (no copy). Throws KafkaCodecError on any inconsistency, including a record whose
 * fields do not fill exactly its declared length.
 */
export function readRecord(c: Cursor): Record {
  const length = readVarint(c);
  if (length < 0 || c.pos + length > c.end) throw new KafkaCodecError(`record of ${length} bytes overruns its batch at offset ${c.pos}`);
  const limit = c.pos + length;
  const outerEnd = c.end;
  c.end = limit;
  try {
    if (c.pos >= limit) throw new KafkaCodecError('empty record');
    const attributes = c.buf.readInt8(c.pos++);
    const timestampDelta = readVarlong(c);
    const offsetDelta = readVarint(c);
    const key = readNullableBytes(c, limit, 'key');
    const value = readNullableBytes(c, limit, 'value');
    const headerCount = readVarint(c);
    if (headerCount < 0 || headerCount > limit - c.pos) throw new KafkaCodecError(`invalid record header count ${headerCount}`);
    const headers: RecordHeader[] = [];
    for (let i = 0; i < headerCount; i++) {
      const keyLen = readVarint(c);
      if (keyLen < 0 || c.pos + keyLen > limit) throw new KafkaCodecError(`invalid record header key length ${keyLen}`);
      const hkey = c.buf.toString('utf8', c.pos, c.pos + keyLen);
      c.pos += keyLen;
      headers.push({ key: hkey, value: readNullableBytes(c, limit, 'header value') });
    }
    if (c.pos !== limit) throw new KafkaCodecError(`record declares ${length} bytes but its fields take ${length - (limit - c.pos)}`);
    return { attributes, timestampDelta, offsetDelta, key, value, headers };
  } finally {
    c.end = outerEnd;
  }
}
