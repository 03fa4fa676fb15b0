import { UsageError } from '../../common/errors.js';

/** Where in a history file something was found: 1-based line (and column when known). */
export interface SourcePosition {
  source?: string;
  line?: number;
  column?: number;
}

/**
 * A history that cannot be read or is not well formed (bad syntax, an op without a type, a
 * process that completes what it never invoked, ...). It is the user's input to fix, so it
 * exits 2 like any usage error, and the message names the file, line and reason.
 */
export class HistoryError extends UsageError {
  readonly position: SourcePosition;
  constructor(code: 'KZ_HISTORY_MALFORMED' | 'KZ_HISTORY_UNREADABLE', reason: string, position: SourcePosition = {}, options?: { cause?: unknown }) {
    super(code, `${formatPosition(position)}${reason}`, options);
    this.position = position;
  }
}

export function malformed(reason: string, position: SourcePosition = {}): HistoryError {
  return new HistoryError('KZ_HISTORY_MALFORMED', reason, position);
}

function formatPosition({ source, line, column }: SourcePosition): string {
  const parts: string[] = [];
  if (source) parts.push(source);
  if (line !== undefined) parts.push(column !== undefined ? `line ${line}, column ${column}` : `line ${line}`);
  return parts.length > 0 ? `${parts.join(': ')}: ` : '';
}
