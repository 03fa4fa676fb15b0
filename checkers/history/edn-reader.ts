import { malformed } from './history-error.js';

/**
 * A small EDN reader that turns Jepsen histories into plain JS data, keeping line numbers for
 * error messages (the edn-data package reports neither line nor column).
 *
 * Mapping: nil -> null; keywords and symbols -> their name without the colon (`:f` -> "f",
 * `:jepsen/x` -> "jepsen/x"); vectors, lists and sets -> arrays; maps -> plain objects whose
 * keys are the keys' names (numbers become their decimal text); strings and characters ->
 * strings; integers outside the safe range -> their decimal text (so distinct values never
 * collapse); tagged literals (`#inst`, `#uuid`, `#jepsen.history.Op{...}`) -> the tagged value;
 * `#_` discards the next form; `;` comments and commas are whitespace.
 */
export class EdnReader {
  private pos = 0;
  private lineNo = 1;
  private lineStart = 0;

  constructor(
    private readonly text: string,
    private readonly source?: string,
  ) {}

  /** 1-based line of the reader's position. */
  get line(): number {
    return this.lineNo;
  }

  /** Skips whitespace, commas, comments and `#_` discards; returns the next char code or -1 at the end. */
  peek(): number {
    for (;;) {
      this.skipBlanks();
      if (this.pos >= this.text.length) return -1;
      const c = this.text.charCodeAt(this.pos);
      if (c === HASH && this.text.charCodeAt(this.pos + 1) === UNDERSCORE) {
        this.pos += 2;
        this.readValue();
        continue;
      }
      return c;
    }
  }

  atEnd(): boolean {
    return this.peek() === -1;
  }

  /** Consumes one expected delimiter character. */
  expect(char: string): void {
    if (this.peek() !== char.charCodeAt(0)) throw this.error(`expected '${char}' but found ${this.describeHere()}`);
    this.pos++;
  }

  /** Consumes `char` when it is next; says whether it was. */
  consumeIf(char: string): boolean {
    if (this.peek() !== char.charCodeAt(0)) return false;
    this.pos++;
    return true;
  }

  readValue(): unknown {
    const c = this.peek();
    if (c === -1) throw this.error('unexpected end of input');
    switch (c) {
      case OPEN_BRACKET:
        this.pos++;
        return this.readSequence(CLOSE_BRACKET, ']');
      case OPEN_PAREN:
        this.pos++;
        return this.readSequence(CLOSE_PAREN, ')');
      case OPEN_BRACE:
        this.pos++;
        return this.readMap();
      case QUOTE:
        return this.readString();
      case COLON:
        this.pos++;
        return this.readToken('keyword');
      case BACKSLASH:
        return this.readCharacter();
      case HASH:
        return this.readDispatch();
      case CLOSE_BRACKET:
      case CLOSE_PAREN:
      case CLOSE_BRACE:
        throw this.error(`unexpected '${String.fromCharCode(c)}'`);
      default:
        return this.readAtom();
    }
  }

  error(reason: string): Error {
    return malformed(`EDN: ${reason}`, { source: this.source, line: this.lineNo, column: this.pos - this.lineStart + 1 });
  }

  private readSequence(close: number, closeText: string): unknown[] {
    const out: unknown[] = [];
    const openLine = this.lineNo;
    for (;;) {
      const c = this.peek();
      if (c === -1) throw this.error(`unterminated collection opened on line ${openLine}: missing '${closeText}'`);
      if (c === close) {
        this.pos++;
        return out;
      }
      out.push(this.readValue());
    }
  }

  private readMap(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const openLine = this.lineNo;
    for (;;) {
      const c = this.peek();
      if (c === -1) throw this.error(`unterminated map opened on line ${openLine}: missing '}'`);
      if (c === CLOSE_BRACE) {
        this.pos++;
        return out;
      }
      const key = this.readValue();
      if (this.peek() === CLOSE_BRACE) throw this.error(`map key ${JSON.stringify(key)} has no value`);
      out[mapKey(key)] = this.readValue();
    }
  }

  private readString(): string {
    const startLine = this.lineNo;
    this.pos++; // opening quote
    let out = '';
    let chunkStart = this.pos;
    for (;;) {
      if (this.pos >= this.text.length) throw this.error(`unterminated string starting on line ${startLine}`);
      const c = this.text.charCodeAt(this.pos);
      if (c === QUOTE) {
        out += this.text.slice(chunkStart, this.pos);
        this.pos++;
        return out;
      }
      if (c === NEWLINE) this.newLine(this.pos + 1);
      if (c === BACKSLASH) {
        out += this.text.slice(chunkStart, this.pos);
        const e = this.text[this.pos + 1];
        this.pos += 2;
        switch (e) {
          case 'n': out += '\n'; break;
          case 't': out += '\t'; break;
          case 'r': out += '\r'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case 'u': {
            const hex = this.text.slice(this.pos, this.pos + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw this.error(`bad unicode escape \\u${hex}`);
            out += String.fromCharCode(parseInt(hex, 16));
            this.pos += 4;
            break;
          }
          default:
            throw this.error(`unknown string escape \\${e ?? ''}`);
        }
        chunkStart = this.pos;
        continue;
      }
      this.pos++;
    }
  }

  private readCharacter(): string {
    this.pos++; // backslash
    const token = this.takeToken();
    if (token.length === 1) return token;
    const named: Record<string, string> = { newline: '\n', space: ' ', tab: '\t', return: '\r', backspace: '\b', formfeed: '\f' };
    if (token in named) return named[token]!;
    if (/^u[0-9a-fA-F]{4}$/.test(token)) return String.fromCharCode(parseInt(token.slice(1), 16));
    // A delimiter right after the backslash is itself the character: \( \[ \, ...
    if (token.length === 0 && this.pos < this.text.length) return this.text[this.pos++]!;
    throw this.error(`unknown character literal \\${token}`);
  }

  private readDispatch(): unknown {
    const next = this.text.charCodeAt(this.pos + 1);
    if (next === OPEN_BRACE) {
      this.pos += 2;
      return this.readSequence(CLOSE_BRACE, '}'); // a set, read as an array
    }
    if (next === QUOTE) throw this.error('regular expressions (#"...") are not history data');
    this.pos++;
    const tag = this.takeToken();
    if (tag.length === 0) throw this.error(`unsupported dispatch '#${this.text[this.pos] ?? ''}'`);
    // #inst, #uuid and record tags such as #jepsen.history.Op{...}: the data is the tagged form.
    return this.readValue();
  }

  private readAtom(): unknown {
    const startColumn = this.pos - this.lineStart + 1;
    const token = this.takeToken();
    if (token.length === 0) throw this.error(`unexpected character ${JSON.stringify(this.text[this.pos])}`);
    if (token === 'nil') return null;
    if (token === 'true') return true;
    if (token === 'false') return false;
    const first = token.charCodeAt(0);
    const looksNumeric = (first >= ZERO && first <= NINE) || ((first === PLUS || first === MINUS) && token.length > 1 && isDigit(token.charCodeAt(1)));
    if (!looksNumeric) return token; // a symbol
    const n = parseNumber(token);
    if (n === undefined) {
      throw malformed(`EDN: bad number '${token}'`, { source: this.source, line: this.lineNo, column: startColumn });
    }
    return n;
  }

  private readToken(kind: string): string {
    const token = this.takeToken();
    if (token.length === 0) throw this.error(`empty ${kind}`);
    return token;
  }

  private takeToken(): string {
    const start = this.pos;
    while (this.pos < this.text.length && !isDelimiter(this.text.charCodeAt(this.pos))) this.pos++;
    return this.text.slice(start, this.pos);
  }

  private skipBlanks(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === NEWLINE) {
        this.newLine(this.pos + 1);
        this.pos++;
      } else if (c === SPACE || c === COMMA || c === TAB || c === CR || c === FF) {
        this.pos++;
      } else if (c === SEMICOLON) {
        while (this.pos < t.length && t.charCodeAt(this.pos) !== NEWLINE) this.pos++;
      } else {
        return;
      }
    }
  }

  private newLine(startOfNext: number): void {
    this.lineNo++;
    this.lineStart = startOfNext;
  }

  private describeHere(): string {
    if (this.pos >= this.text.length) return 'the end of input';
    return JSON.stringify(this.text.slice(this.pos, this.pos + 12));
  }
}

/** Reads every top-level form of an EDN text. */
export function readAllEdn(text: string, source?: string): unknown[] {
  const reader = new EdnReader(text, source);
  const out: unknown[] = [];
  while (!reader.atEnd()) out.push(reader.readValue());
  return out;
}

function mapKey(key: unknown): string {
  if (typeof key === 'string') return key;
  if (typeof key === 'number' || typeof key === 'boolean' || key === null) return String(key);
  return JSON.stringify(key);
}

function parseNumber(token: string): number | string | undefined {
  const body = token.endsWith('N') || token.endsWith('M') ? token.slice(0, -1) : token;
  if (/^[+-]?\d+$/.test(body)) {
    const n = Number(body);
    return Number.isSafeInteger(n) ? n : body.replace(/^\+/, '');
  }
  if (/^[+-]?\d+\/\d+$/.test(body)) {
    const [num, den] = body.split('/') as [string, string];
    return Number(num) / Number(den);
  }
  if (/^[+-]?0[xX][0-9a-fA-F]+$/.test(body)) return Number(body.replace(/^\+/, ''));
  if (/^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?)$/.test(body)) return Number(body);
  return undefined;
}

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

function isDelimiter(c: number): boolean {
  return (
    c === SPACE || c === COMMA || c === NEWLINE || c === TAB || c === CR || c === FF ||
    c === OPEN_BRACKET || c === CLOSE_BRACKET || c === OPEN_PAREN || c === CLOSE_PAREN ||
    c === OPEN_BRACE || c === CLOSE_BRACE || c === QUOTE || c === SEMICOLON || c === BACKSLASH
  );
}

const SPACE = 0x20, COMMA = 0x2c, NEWLINE = 0x0a, TAB = 0x09, CR = 0x0d, FF = 0x0c;
const OPEN_BRACKET = 0x5b, CLOSE_BRACKET = 0x5d, OPEN_PAREN = 0x28, CLOSE_PAREN = 0x29;
const OPEN_BRACE = 0x7b, CLOSE_BRACE = 0x7d, QUOTE = 0x22, SEMICOLON = 0x3b, BACKSLASH = 0x5c;
const COLON = 0x3a, HASH = 0x23, UNDERSCORE = 0x5f, ZERO = 0x30, NINE = 0x39, PLUS = 0x2b, MINUS = 0x2d;
