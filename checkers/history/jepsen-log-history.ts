import { EdnReader } from './edn-reader.js';
import { malformed } from './history-error.js';
import type { Op, OpType } from './op.js';

/**
 * Jepsen's 2014 log lines, as in Porcupine's `test_data/jepsen/etcd_*.log`:
 *
 *     INFO  jepsen.util - 3	:invoke	:cas	[3 0]
 *     INFO  jepsen.util - 3	:info	:cas	:timed-out
 *
 * Fields after `jepsen.util -` are process, type, f and value (EDN: nil, integers, `[a b]`),
 * separated by tabs or spaces. Any prefix (timestamps, log level) is ignored, and so are log
 * lines that are not ops. A `:timed-out` value on an info or fail completion is the error,
 * not a result, so it becomes `error: "timed-out"` and the op carries no value.
 */
export function parseJepsenLogHistory(text: string, source?: string): { ops: Op[]; lines: number[] } {
  const ops: Op[] = [];
  const lines: number[] = [];
  const rows = text.split('\n');
  for (let i = 0; i < rows.length; i++) {
    const lineNo = i + 1;
    const m = jepsenUtilLine.exec(rows[i]!);
    if (!m) continue;
    const rest = m[1]!.trim();
    const fields = /^(\S+)\s+:(\S+)\s+:(\S+)(?:\s+(.*))?$/.exec(rest);
    if (!fields) {
      // jepsen.util also logs other things; only op-shaped lines are history.
      if (/^\S+\s+:(invoke|ok|fail|info)\b/.test(rest)) throw malformed(`log op line needs process, type, f and value: ${JSON.stringify(rest)}`, { source, line: lineNo });
      continue;
    }
    const [, processText, type, f, valueText] = fields as unknown as [string, string, string, string, string | undefined];
    if (!isOpType(type)) continue;
    const process = /^-?\d+$/.test(processText) ? Number(processText) : processText.replace(/^:/, '');
    const op: Op = { index: ops.length, process, type, f };
    if (valueText !== undefined && valueText.trim().length > 0) {
      const value = readValue(valueText, source, lineNo);
      if ((type === 'info' || type === 'fail') && value === 'timed-out' && valueText.trim() === ':timed-out') op.error = 'timed-out';
      else op.value = value;
    } else {
      op.value = null;
    }
    ops.push(op);
    lines.push(lineNo);
  }
  return { ops, lines };
}

/** True when a line looks like a 2014 Jepsen op log line (used by format detection). */
export function isJepsenLogOpLine(line: string): boolean {
  const m = jepsenUtilLine.exec(line);
  return m !== null && /^\S+\s+:(invoke|ok|fail|info)\s/.test(m[1]!.trim());
}

const jepsenUtilLine = /\bjepsen\.util\s+-\s+(.*?)\r?$/;

function isOpType(t: string): t is OpType {
  return t === 'invoke' || t === 'ok' || t === 'fail' || t === 'info';
}

function readValue(text: string, source: string | undefined, line: number): unknown {
  const reader = new EdnReader(text, source);
  try {
    const value = reader.readValue();
    if (!reader.atEnd()) throw new Error('trailing text after the value');
    return value;
  } catch (err) {
    throw malformed(`bad op value ${JSON.stringify(text.trim())}: ${(err as Error).message}`, { source, line });
  }
}
