import { closeSync, openSync, readSync } from 'node:fs';
import { HistoryError, malformed } from './history-error.js';

/**
 * Reads a `history.jsonl` file line by line, without holding the file (or its ops) in
 * memory: for checkers that keep their own compact form of a history too big to hold as Op
 * objects. `visit` gets each line's bytes (`buf[start, end)`, valid only during the call),
 * its 1-based number and the file offset where it starts (`readJsonlRecordAt` reads it
 * again). Blank lines are skipped.
 */
export function forEachJsonlLine(path: string, visit: (buf: Buffer, start: number, end: number, line: number, byteOffset: number) => void): void {
  const fd = openFile(path);
  try {
    let buffer = Buffer.allocUnsafe(CHUNK);
    let filled = 0; // bytes in buffer
    let start = 0; // first byte of the current line in buffer
    let fileOffset = 0; // file offset of buffer[0]
    let lineNo = 0;
    let eof = false;
    const take = (end: number) => {
      lineNo++;
      let s = start;
      let e = end;
      while (s < e && isSpace(buffer[s]!)) s++;
      while (e > s && isSpace(buffer[e - 1]!)) e--;
      if (s === e) return;
      // Unicode whitespace (a BOM, no-break spaces) counts as blank too, as String.trim has it.
      if (buffer[s]! >= 0x80 && buffer.toString('utf8', s, e).trim().length === 0) return;
      visit(buffer, s, e, lineNo, fileOffset + start);
    };
    while (!eof) {
      // Keep the unfinished line, then fill the rest of the buffer.
      if (start > 0) {
        buffer.copy(buffer, 0, start, filled);
        fileOffset += start;
        filled -= start;
        start = 0;
      }
      if (filled === buffer.length) {
        const grown = Buffer.allocUnsafe(buffer.length * 2); // a line longer than the buffer
        buffer.copy(grown, 0, 0, filled);
        buffer = grown;
      }
      const n = readSync(fd, buffer, filled, buffer.length - filled, fileOffset + filled);
      if (n === 0) eof = true;
      filled += n;
      for (let nl = buffer.indexOf(NEWLINE, start); nl !== -1 && nl < filled; nl = buffer.indexOf(NEWLINE, start)) {
        take(nl);
        start = nl + 1;
      }
      if (eof && start < filled) take(filled);
    }
  } finally {
    closeSync(fd);
  }
}

/** Like forEachJsonlLine, with each line parsed as JSON (errors name the line). */
export function forEachJsonlRecord(path: string, visit: (record: unknown, line: number, byteOffset: number) => void): void {
  forEachJsonlLine(path, (buf, start, end, line, byteOffset) => visit(parseJsonLine(buf, start, end, path, line), line, byteOffset));
}

export function parseJsonLine(buf: Buffer, start: number, end: number, source: string, line: number): unknown {
  const text = buf.toString('utf8', start, end).trim();
  try {
    return JSON.parse(text);
  } catch (err) {
    throw malformed(`not valid JSON (${(err as Error).message})`, { source, line });
  }
}

/** ASCII whitespace. */
function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a || c === 0x0b || c === 0x0c;
}

/** The JSON record on the line starting at `byteOffset` (as given by forEachJsonlRecord). */
export function readJsonlRecordAt(path: string, byteOffset: number): unknown {
  const fd = openFile(path);
  try {
    const parts: Buffer[] = [];
    let position = byteOffset;
    for (;;) {
      const chunk = Buffer.allocUnsafe(64 * 1024);
      const n = readSync(fd, chunk, 0, chunk.length, position);
      const nl = chunk.subarray(0, n).indexOf(NEWLINE);
      parts.push(chunk.subarray(0, nl === -1 ? n : nl));
      if (nl !== -1 || n === 0) break;
      position += n;
    }
    return JSON.parse(Buffer.concat(parts).toString('utf8'));
  } finally {
    closeSync(fd);
  }
}

const CHUNK = 4 * 1024 * 1024;
const NEWLINE = 0x0a;

function openFile(path: string): number {
  try {
    return openSync(path, 'r');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new HistoryError('KZ_HISTORY_UNREADABLE', `cannot read history: ${reason}`, { source: path }, { cause: err });
  }
}
