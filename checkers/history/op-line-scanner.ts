import { JSON_BAIL, JsonBytes, JsonCursor } from './json-bytes.js';

/**
 * Reads one `history.jsonl` line's op fields in place (type, process, f, index, time, and the
 * Kafka rebalance log), leaving its `value` as bytes for a checker to read its own way.
 * Other fields are skipped (checked for syntax only). Returns null for any line it does not
 * handle, and the caller parses that line with JSON.parse: same result, same errors.
 */
export interface ScannedOp {
  /** The op's fields as JSON.parse would give them, without `value`. */
  record: Record<string, unknown>;
  /** The value's bytes; undefined when the line has no value. */
  value: JsonBytes | undefined;
  /** Whether the value hook read the value (see OpLineScanner). */
  valueRead: boolean;
}

/**
 * Reads a value where it stands, given the fields read so far; returns false (anywhere in
 * the value, it need not restore the cursor) to have the value skipped instead.
 */
export type ValueHook = (cursor: JsonCursor, record: Record<string, unknown>) => boolean;

const enum Field {
  other,
  type,
  process,
  f,
  index,
  time,
  value,
  rebalanceLog,
  rebalanceLogDashed,
}

const fieldNames: [string, Field][] = [
  ['type', Field.type],
  ['process', Field.process],
  ['f', Field.f],
  ['index', Field.index],
  ['time', Field.time],
  ['value', Field.value],
  ['rebalanceLog', Field.rebalanceLog],
  ['rebalance-log', Field.rebalanceLogDashed],
];
/** The fields by the hash `field()` computes of their keys. */
const byHash = new Map<number, [Buffer, Field]>();
for (const [name, field] of fieldNames) {
  let hash = 0;
  for (let i = 0; i < name.length; i++) hash = (Math.imul(hash, 31) + name.charCodeAt(i)) | 0;
  byHash.set(hash, [Buffer.from(name, 'latin1'), field]);
}
const nameOf: string[] = [];
for (const [name, field] of fieldNames) nameOf[field] = name;

export class OpLineScanner {
  private readonly cursor = new JsonCursor();

  constructor(private readonly valueHook?: ValueHook) {}

  scan(buf: Buffer, start: number, end: number): ScannedOp | null {
    const c = this.cursor;
    c.reset(buf, start, end);
    try {
      // One shape for every line; a field left undefined reads as missing (OpRecordReader).
      const record: Record<string, unknown> = { index: undefined, time: undefined, process: undefined, type: undefined, f: undefined };
      let value: JsonBytes | undefined;
      let valueRead = false;
      c.expect(0x7b);
      if (!c.eat(0x7d)) {
        do {
          const field = this.field();
          c.expect(0x3a);
          switch (field) {
            case Field.type:
            case Field.f:
            case Field.process:
            case Field.index:
            case Field.time:
              record[nameOf[field]!] = this.scalar();
              break;
            case Field.value: {
              c.ws();
              const from = c.pos;
              valueRead = this.valueHook !== undefined && this.read(this.valueHook, record);
              if (!valueRead) {
                c.pos = from;
                c.skip();
              }
              value = new JsonBytes(buf, from, c.pos);
              break;
            }
            case Field.rebalanceLog:
              record['rebalanceLog'] = c.value();
              break;
            case Field.rebalanceLogDashed:
              record['rebalance-log'] = c.value();
              break;
            default:
              c.skip();
          }
        } while (c.eat(0x2c));
        c.expect(0x7d);
      }
      if (c.ws() !== -1) return null;
      return { record, value, valueRead };
    } catch (err) {
      if (err === JSON_BAIL) return null;
      throw err;
    }
  }

  private read(hook: ValueHook, record: Record<string, unknown>): boolean {
    try {
      return hook(this.cursor, record);
    } catch (err) {
      if (err === JSON_BAIL) return false;
      throw err;
    }
  }

  /** The next key, as one of the fields this scanner reads (a key given twice: the last wins, as in JSON.parse). */
  private field(): Field {
    const c = this.cursor;
    if (!c.atString()) throw JSON_BAIL;
    const b = c.buf;
    const start = c.pos + 1;
    let p = start;
    let hash = 0;
    for (let x = b[p]!; x !== 0x22 && x !== 0x5c && x >= 0x20 && x < 0x80 && p < c.end; x = b[++p]!) hash = (Math.imul(hash, 31) + x) | 0;
    if (b[p] !== 0x22 || p >= c.end) {
      c.string(); // escapes, non-ASCII or control characters: an unusual field, or not JSON
      return Field.other;
    }
    c.pos = p + 1;
    const known = byHash.get(hash);
    if (known === undefined || known[0].length !== p - start) return Field.other;
    const name = known[0];
    for (let i = 0; i < name.length; i++) if (b[start + i] !== name[i]) return Field.other;
    return known[1];
  }

  /** A number, a string, null, or (rarely) anything else through JSON.parse. */
  private scalar(): unknown {
    const c = this.cursor;
    const next = c.ws();
    if (next === 0x22) return c.word();
    if (next === 0x2d || (next >= 0x30 && next <= 0x39)) return c.number();
    if (c.null()) return null;
    return c.value();
  }
}
