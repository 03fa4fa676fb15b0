/**
 * Reading JSON straight from the bytes of a file, for readers that must not allocate an
 * object per line (see jsonl-stream.ts). A `JsonCursor` reads the common shapes in place and
 * throws `JSON_BAIL` at anything it does not handle, so callers can fall back to JSON.parse
 * and get exactly its result or its error.
 */

/** Thrown by JsonCursor for input it does not handle (or that is not JSON). */
export const JSON_BAIL: unique symbol = Symbol('json-bail');

/** A JSON text held as a byte range of a buffer (valid only while the buffer is). */
export class JsonBytes {
  constructor(
    readonly buf: Buffer,
    readonly start: number,
    readonly end: number,
  ) {}

  parse(): unknown {
    return JSON.parse(this.buf.toString('utf8', this.start, this.end));
  }

  isNull(): boolean {
    const b = this.buf;
    return this.end - this.start === 4 && b[this.start] === 0x6e && b[this.start + 1] === 0x75 && b[this.start + 2] === 0x6c && b[this.start + 3] === 0x6c;
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;

export class JsonCursor {
  buf: Buffer = Buffer.alloc(0);
  pos = 0;
  end = 0;
  /** Recent short strings by the hash `word()` computes. */
  private readonly words = new Map<number, string>();

  reset(buf: Buffer, start: number, end: number): void {
    this.buf = buf;
    this.pos = start;
    this.end = end;
  }

  /** Skips whitespace; returns the next byte, or -1 at the end. */
  ws(): number {
    const b = this.buf;
    while (this.pos < this.end) {
      const c = b[this.pos]!;
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return c;
      this.pos++;
    }
    return -1;
  }

  /** Consumes byte `c` after whitespace, or bails. */
  expect(c: number): void {
    if (this.ws() !== c) throw JSON_BAIL;
    this.pos++;
  }

  /** Consumes byte `c` after whitespace if it is next. */
  eat(c: number): boolean {
    if (this.ws() !== c) return false;
    this.pos++;
    return true;
  }

  /** A JSON number (after whitespace), exactly as JSON.parse reads it. */
  number(): number {
    this.ws();
    const b = this.buf;
    const start = this.pos;
    let p = start;
    const negative = b[p] === MINUS;
    if (negative) p++;
    const digits = p;
    let value = 0;
    while (p < this.end && b[p]! >= ZERO && b[p]! <= NINE) value = value * 10 + (b[p++]! - ZERO);
    const count = p - digits;
    if (count === 0 || (count > 1 && b[digits] === ZERO)) throw JSON_BAIL;
    const c = p < this.end ? b[p]! : -1;
    if (c === 0x2e || c === 0x65 || c === 0x45 || count > 15) {
      // Fractions, exponents and long integers: let the engine round them.
      if (c === 0x2e) {
        p++;
        const f = p;
        while (p < this.end && b[p]! >= ZERO && b[p]! <= NINE) p++;
        if (p === f) throw JSON_BAIL;
      }
      if (p < this.end && (b[p] === 0x65 || b[p] === 0x45)) {
        p++;
        if (b[p] === 0x2b || b[p] === MINUS) p++;
        const e = p;
        while (p < this.end && b[p]! >= ZERO && b[p]! <= NINE) p++;
        if (p === e) throw JSON_BAIL;
      }
      this.pos = p;
      return Number(b.toString('latin1', start, p));
    }
    this.pos = p;
    return negative ? -value : value;
  }

  /** Whether the next value (after whitespace) is a string. */
  atString(): boolean {
    return this.ws() === QUOTE;
  }

  /** A JSON string (after whitespace). */
  string(): string {
    if (this.ws() !== QUOTE) throw JSON_BAIL;
    const b = this.buf;
    const start = ++this.pos;
    let p = start;
    for (; p < this.end; p++) {
      const c = b[p]!;
      if (c === QUOTE) {
        this.pos = p + 1;
        return b.toString('latin1', start, p);
      }
      if (c === BACKSLASH || c >= 0x80 || c < 0x20) break;
    }
    // Escapes, non-ASCII text or control characters: find the end, let JSON.parse decode it.
    for (; p < this.end; p++) {
      const c = b[p]!;
      if (c === BACKSLASH) p++;
      else if (c === QUOTE) {
        this.pos = p + 1;
        try {
          return JSON.parse(b.toString('utf8', start - 1, p + 1)) as string;
        } catch {
          throw JSON_BAIL;
        }
      }
    }
    throw JSON_BAIL;
  }

  /**
   * A string (after whitespace), reusing the text of a recent equal short one: op types,
   * names, partition keys repeat on every line, and a fresh string each time is garbage.
   */
  word(): string {
    if (this.ws() !== QUOTE) throw JSON_BAIL;
    const b = this.buf;
    const start = this.pos + 1;
    let p = start;
    let hash = 0;
    for (let x = b[p]!; x !== QUOTE && x !== BACKSLASH && x < 0x80 && x >= 0x20 && p < this.end; x = b[++p]!) hash = (Math.imul(hash, 31) + x) | 0;
    const length = p - start;
    if (b[p] !== QUOTE || p >= this.end || length > 24) return this.string();
    const known = this.words.get(hash);
    if (known !== undefined && known.length === length) {
      let i = 0;
      while (i < length && b[start + i] === known.charCodeAt(i)) i++;
      if (i === length) {
        this.pos = p + 1;
        return known;
      }
    }
    const text = this.string();
    if (this.words.size >= 1024) this.words.clear();
    this.words.set(hash, text);
    return text;
  }

  /** Whether the next value is the literal null (consumed if so). */
  null(): boolean {
    const b = this.buf;
    if (this.ws() === 0x6e && b[this.pos + 1] === 0x75 && b[this.pos + 2] === 0x6c && b[this.pos + 3] === 0x6c) {
      this.pos += 4;
      return true;
    }
    return false;
  }

  /** Skips one JSON value, checking its syntax; returns where it started (after whitespace). */
  skip(): number {
    const c = this.ws();
    const start = this.pos;
    if (c === QUOTE) this.string();
    else if (c === 0x7b) {
      this.pos++;
      if (!this.eat(0x7d)) {
        do {
          this.string();
          this.expect(0x3a);
          this.skip();
        } while (this.eat(0x2c));
        this.expect(0x7d);
      }
    } else if (c === 0x5b) {
      this.pos++;
      if (!this.eat(0x5d)) {
        do this.skip();
        while (this.eat(0x2c));
        this.expect(0x5d);
      }
    } else if (c === MINUS || (c >= ZERO && c <= NINE)) this.number();
    else if (!this.literal('null') && !this.literal('true') && !this.literal('false')) throw JSON_BAIL;
    return start;
  }

  /** Reads one value of any shape through JSON.parse (for the rare fields that need it). */
  value(): unknown {
    const start = this.skip();
    return JSON.parse(this.buf.toString('utf8', start, this.pos));
  }

  private literal(word: string): boolean {
    const b = this.buf;
    for (let i = 0; i < word.length; i++) if (b[this.pos + i] !== word.charCodeAt(i)) return false;
    this.pos += word.length;
    return true;
  }
}
