import { EdnReader } from './edn-reader.js';
import { malformed } from './history-error.js';
import type { Op } from './op.js';
import { OpRecordReader, type OpDefaults } from './op-record.js';

/**
 * Jepsen EDN histories: one vector or list of op maps (Knossos' `data/`), or a stream of op
 * maps (Elle's `histories/`, Jepsen's `history.edn`), possibly with `;` comments. Returns the
 * ops and the 1-based line each starts on.
 */
export function parseEdnHistory(text: string, source?: string, defaults?: OpDefaults): { ops: Op[]; lines: number[] } {
  const reader = new EdnReader(text, source);
  const records = new OpRecordReader(defaults);
  const ops: Op[] = [];
  const lines: number[] = [];
  const take = (record: unknown, line: number) => {
    ops.push(records.read(record, { source, line }));
    lines.push(line);
  };
  while (!reader.atEnd()) {
    const line = reader.line;
    const open = reader.peek();
    if (open === OPEN_BRACKET || open === OPEN_PAREN) {
      const close = open === OPEN_BRACKET ? ']' : ')';
      reader.expect(String.fromCharCode(open));
      for (;;) {
        if (reader.atEnd()) throw reader.error(`the history collection opened on line ${line} is never closed: missing '${close}'`);
        if (reader.consumeIf(close)) break;
        const elementLine = reader.line;
        take(reader.readValue(), elementLine);
      }
    } else if (open === OPEN_BRACE) {
      take(reader.readValue(), line);
    } else {
      throw malformed(`EDN: expected an op map or a vector of op maps, found ${JSON.stringify(reader.readValue())}`, { source, line });
    }
  }
  return { ops, lines };
}

const OPEN_BRACKET = 0x5b, OPEN_PAREN = 0x28, OPEN_BRACE = 0x7b;
