import { open, readFile } from 'node:fs/promises';
import { parseEdnHistory } from './edn-history.js';
import { HistoryError } from './history-error.js';
import { detectHistoryFormat, type HistoryFormat } from './history-format.js';
import { parseJepsenLogHistory } from './jepsen-log-history.js';
import { parseJsonlHistory } from './jsonl-history.js';
import type { Op } from './op.js';
import { OpRecordReader, type OpDefaults } from './op-record.js';
import { forEachJsonlRecord } from './jsonl-stream.js';
import { pairOps } from './op-pairs.js';

export interface ParseHistoryOptions {
  /** Overrides detection. */
  format?: HistoryFormat;
  /** File name for error messages. */
  source?: string;
  /** Fields to assume when a foreign history leaves them out. */
  defaults?: OpDefaults;
  /**
   * Check that invocations and completions pair up (default true), so a malformed history is
   * reported with its line number here rather than later by a checker.
   */
  validatePairs?: boolean;
}

export interface ParsedHistory {
  ops: Op[];
  format: HistoryFormat;
  /** 1-based source line of each op, parallel to `ops`. */
  lines: number[];
}

export function parseHistoryDetailed(text: string, opts: ParseHistoryOptions = {}): ParsedHistory {
  const format = opts.format ?? detectHistoryFormat(text, opts.source);
  const { ops, lines } =
    format === 'jsonl'
      ? parseJsonlHistory(text, opts.source, opts.defaults)
      : format === 'edn'
        ? parseEdnHistory(text, opts.source, opts.defaults)
        : parseJepsenLogHistory(text, opts.source);
  if (opts.validatePairs !== false) pairOps(ops, { locate: (op) => ({ source: opts.source, line: lines[op.index] }) });
  return { ops, format, lines };
}

/** Parses a history in any supported format (detected unless `format` is given). */
export function parseHistory(text: string, opts: ParseHistoryOptions = {}): Op[] {
  return parseHistoryDetailed(text, opts).ops;
}

export async function readHistoryFileDetailed(path: string, opts: ParseHistoryOptions = {}): Promise<ParsedHistory> {
  const format = opts.format ?? (await detectHistoryFileFormat(path));
  if (format === 'jsonl') return readJsonlFile(path, opts);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new HistoryError('KZ_HISTORY_UNREADABLE', `cannot read history: ${reason}`, { source: path }, { cause: err });
  }
  return parseHistoryDetailed(text, { source: path, ...opts, format });
}

/** JSONL, streamed line by line: no copy of the whole file as one string. */
function readJsonlFile(path: string, opts: ParseHistoryOptions): ParsedHistory {
  const records = new OpRecordReader(opts.defaults);
  const ops: Op[] = [];
  const lines: number[] = [];
  forEachJsonlRecord(path, (record, line) => {
    ops.push(records.read(record, { source: path, line }));
    lines.push(line);
  });
  if (opts.validatePairs !== false) pairOps(ops, { locate: (op) => ({ source: path, line: lines[op.index] }) });
  return { ops, format: 'jsonl', lines };
}

/** Reads and parses a history file (JSONL, Jepsen EDN, or 2014 Jepsen log lines). */
export async function readHistoryFile(path: string, opts: ParseHistoryOptions = {}): Promise<Op[]> {
  return (await readHistoryFileDetailed(path, opts)).ops;
}

/**
 * A history file's format, told from its first lines (as `detectHistoryFormat` does) without
 * reading the whole file.
 */
export async function detectHistoryFileFormat(path: string): Promise<HistoryFormat> {
  let head: string;
  try {
    const file = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(64 * 1024);
      const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
      const bytes = buffer.subarray(0, bytesRead);
      // Whole lines only, unless one line is longer than the sample.
      const lastNewline = bytesRead === buffer.length ? bytes.lastIndexOf(0x0a) : -1;
      head = bytes.toString('utf8', 0, lastNewline > 0 ? lastNewline : bytesRead);
    } finally {
      await file.close();
    }
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new HistoryError('KZ_HISTORY_UNREADABLE', `cannot read history: ${reason}`, { source: path }, { cause: err });
  }
  return detectHistoryFormat(head, path);
}
