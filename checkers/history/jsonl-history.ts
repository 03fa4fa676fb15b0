import { malformed } from './history-error.js';
import type { Op } from './op.js';
import { OpRecordReader, type OpDefaults } from './op-record.js';

/** `history.jsonl` (DESIGN.md "Formats"): one JSON op object per line; blank lines are skipped. */
export function parseJsonlHistory(text: string, source?: string, defaults?: OpDefaults): { ops: Op[]; lines: number[] } {
  const records = new OpRecordReader(defaults);
  const ops: Op[] = [];
  const lines: number[] = [];
  let lineNo = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    lineNo++;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line.length === 0) continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (err) {
      throw malformed(`not valid JSON (${(err as Error).message})`, { source, line: lineNo });
    }
    ops.push(records.read(record, { source, line: lineNo }));
    lines.push(lineNo);
  }
  return { ops, lines };
}
