import { JSON_BAIL, JsonCursor, type JsonBytes } from '../history/json-bytes.js';

/**
 * Reads a Kafka op's value (docs/checkers-kafka.md) from its JSON bytes into flat arrays, in
 * micro-op order: sends as (key, offset, value), polls as (key, records). Keys and values
 * must be numbers or strings, offsets numbers or null; anything else (or malformed) makes
 * `scan` return false, and the caller reads the value through JSON.parse instead, which
 * yields the same history or the same error. Nothing is interned here, so a bail leaves no
 * trace.
 */
export const SEND_EVENT = 0;
export const POLL_EVENT = 1;

const SEND = Buffer.from('send', 'latin1');
const POLL = Buffer.from('poll', 'latin1');

export class KafkaMopsScanner {
  private readonly own = new JsonCursor();
  private c = this.own;
  // Events: a send (one record) or one key of a poll result (its records).
  events = 0;
  kind = new Uint8Array(64);
  keyNumber = new Float64Array(64);
  /** The key when it is text (poll keys always are), else null. */
  keyText: (string | null)[] = [];
  recordFrom = new Int32Array(64);
  recordCount = new Int32Array(64);
  // Records.
  records = 0;
  offset = new Float64Array(256);
  valueNumber = new Float64Array(256);
  valueText: (string | null)[] = [];

  /** Reads `bytes` as a list of micro-ops; false when the JSON.parse path must read it. */
  scan(bytes: JsonBytes, completed: boolean): boolean {
    this.own.reset(bytes.buf, bytes.start, bytes.end);
    try {
      return this.scanAt(this.own, completed) && this.own.ws() === -1;
    } catch (err) {
      if (err === JSON_BAIL) return false;
      throw err;
    }
  }

  /**
   * Reads a list of micro-ops at the cursor, leaving it just after the list; throws
   * JSON_BAIL (or returns false) for the JSON.parse path.
   */
  scanAt(cursor: JsonCursor, completed: boolean): boolean {
    const c = (this.c = cursor);
    this.events = 0;
    this.records = 0;
    c.expect(0x5b);
    if (!c.eat(0x5d)) {
      do this.mop(completed);
      while (c.eat(0x2c));
      c.expect(0x5d);
    }
    return true;
  }

  private mop(completed: boolean): void {
    const c = this.c;
    c.expect(0x5b);
    const name = this.name();
    if (name === SEND_EVENT) {
      c.expect(0x2c);
      const event = this.event(SEND_EVENT);
      if (c.atString()) this.keyText[event] = c.word();
      else this.keyNumber[event] = c.number();
      c.expect(0x2c);
      const record = this.record();
      this.recordCount[event] = 1;
      if (completed && c.eat(0x5b)) {
        this.offset[record] = c.null() ? NaN : c.number();
        c.expect(0x2c);
        this.scalar(record);
        c.expect(0x5d);
      } else {
        this.offset[record] = NaN;
        this.scalar(record);
      }
    } else if (c.eat(0x2c)) {
      if (!c.null()) this.pollResult();
    }
    c.expect(0x5d);
  }

  /** `{"k": [[offset, value], ...], ...}`, keys in the order JSON.parse would enumerate them. */
  private pollResult(): void {
    const c = this.c;
    c.expect(0x7b);
    const first = this.events;
    if (c.eat(0x7d)) return;
    do {
      const event = this.event(POLL_EVENT);
      this.keyText[event] = c.word();
      c.expect(0x3a);
      c.expect(0x5b);
      this.recordFrom[event] = this.records;
      if (!c.eat(0x5d)) {
        do {
          const record = this.record();
          c.expect(0x5b);
          this.offset[record] = c.null() ? NaN : c.number();
          c.expect(0x2c);
          this.scalar(record);
          c.expect(0x5d);
        } while (c.eat(0x2c));
        c.expect(0x5d);
      }
      this.recordCount[event] = this.records - this.recordFrom[event]!;
    } while (c.eat(0x2c));
    c.expect(0x7d);
    this.enumerationOrder(first);
  }

  /**
   * JS objects enumerate integer-like keys first, ascending, then the others in insertion
   * order; the Op path iterates poll results that way, so reorder to match. A key given
   * twice bails (JSON.parse keeps the last value at the first key's place).
   */
  private enumerationOrder(first: number): void {
    const n = this.events - first;
    if (n < 2) return;
    let reorder = false;
    let lastIndex = -1;
    let sawText = false;
    for (let i = first; i < this.events; i++) {
      for (let j = first; j < i; j++) if (this.keyText[j] === this.keyText[i]) throw JSON_BAIL;
      const index = arrayIndex(this.keyText[i]!);
      if (index < 0) sawText = true;
      else {
        if (sawText || index < lastIndex) reorder = true;
        lastIndex = index;
      }
    }
    if (!reorder) return;
    const keys = this.keyText.slice(first, this.events) as string[];
    const indices = keys.map(arrayIndex);
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => {
      const ia = indices[a]!;
      const ib = indices[b]!;
      if (ia >= 0 && ib >= 0) return ia - ib;
      if (ia >= 0) return -1;
      if (ib >= 0) return 1;
      return a - b;
    });
    const from = order.map((i) => this.recordFrom[first + i]!);
    const count = order.map((i) => this.recordCount[first + i]!);
    order.forEach((i, j) => {
      this.keyText[first + j] = keys[i]!;
      this.recordFrom[first + j] = from[j]!;
      this.recordCount[first + j] = count[j]!;
    });
  }

  /** A record value: a number or a string. */
  private scalar(record: number): void {
    const c = this.c;
    if (c.atString()) this.valueText[record] = c.string();
    else {
      this.valueNumber[record] = c.number();
      this.valueText[record] = null;
    }
  }

  /** "send" or "poll" (anything else bails). */
  private name(): number {
    const c = this.c;
    if (!c.atString()) throw JSON_BAIL;
    const b = c.buf;
    const p = c.pos + 1;
    const matches = (word: Buffer) => b[p + 4] === 0x22 && b[p] === word[0] && b[p + 1] === word[1] && b[p + 2] === word[2] && b[p + 3] === word[3];
    const kind = matches(SEND) ? SEND_EVENT : matches(POLL) ? POLL_EVENT : -1;
    if (kind < 0) throw JSON_BAIL;
    c.pos = p + 5;
    return kind;
  }

  private event(kind: number): number {
    const i = this.events++;
    if (i === this.kind.length) {
      this.kind = grow(this.kind, Uint8Array);
      this.keyNumber = grow(this.keyNumber, Float64Array);
      this.recordFrom = grow(this.recordFrom, Int32Array);
      this.recordCount = grow(this.recordCount, Int32Array);
    }
    this.kind[i] = kind;
    this.keyText[i] = null;
    this.recordFrom[i] = this.records;
    return i;
  }

  private record(): number {
    const i = this.records++;
    if (i === this.offset.length) {
      this.offset = grow(this.offset, Float64Array);
      this.valueNumber = grow(this.valueNumber, Float64Array);
    }
    return i;
  }
}

function grow<A extends Uint8Array | Int32Array | Float64Array>(a: A, make: new (n: number) => A): A {
  const b = new make(a.length * 2);
  b.set(a as never);
  return b;
}

/** The array index a property key stands for (canonical integer below 2^32 - 1), else -1. */
function arrayIndex(key: string): number {
  if (key.length === 0 || key.length > 10) return -1;
  if (key.length > 1 && key.charCodeAt(0) === 0x30) return -1;
  for (let i = 0; i < key.length; i++) {
    const d = key.charCodeAt(i);
    if (d < 0x30 || d > 0x39) return -1;
  }
  const n = Number(key);
  return n < 4294967295 ? n : -1;
}
