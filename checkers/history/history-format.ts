import { isJepsenLogOpLine } from './jepsen-log-history.js';
import { malformed } from './history-error.js';

export const historyFormats = ['jsonl', 'edn', 'jepsen-log'] as const;
export type HistoryFormat = (typeof historyFormats)[number];

export function isHistoryFormat(name: string): name is HistoryFormat {
  return (historyFormats as readonly string[]).includes(name);
}

/**
 * Tells the three formats apart from their first meaningful lines: JSONL starts with `{"`,
 * EDN with `[`, `(`, `{:`, `;` or `#`, and log files carry `jepsen.util - <process> :<type>`
 * lines, possibly after other log lines.
 */
export function detectHistoryFormat(text: string, source?: string): HistoryFormat {
  const lines = text.split('\n', 200);
  for (const line of lines) if (isJepsenLogOpLine(line)) return 'jepsen-log';
  const first = /\S/.exec(text);
  if (!first) return 'jsonl'; // an empty history is empty in every format
  const start = text.slice(first.index, first.index + 40);
  if (/^\{\s*"/.test(start) || /^\{\s*\}/.test(start)) return 'jsonl';
  if (/^[[({;#]/.test(start)) return 'edn';
  throw malformed(`cannot tell the history format from ${JSON.stringify(start.split('\n')[0])}; pass --format jsonl|edn|jepsen-log`, { source, line: text.slice(0, first.index).split('\n').length });
}
