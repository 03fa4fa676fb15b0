/**
 * Progress and diagnostics go to stderr (data goes to stdout). Off a TTY every line carries
 * an ISO timestamp so CI logs read as a timeline.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
  child(scope: string): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  scope?: string;
  sink?: (line: string) => void;
  timestamps?: boolean;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const envLevel = process.env.KZBENCH_LOG_LEVEL as LogLevel | undefined;
  const level = opts.level ?? (envLevel && envLevel in order ? envLevel : 'info');
  const sink = opts.sink ?? ((line: string) => process.stderr.write(line + '\n'));
  const timestamps = opts.timestamps ?? !process.stderr.isTTY;
  const make = (scope: string | undefined): Logger => {
    const emit = (lvl: LogLevel, msg: string) => {
      if (order[lvl] < order[level]) return;
      const parts: string[] = [];
      if (timestamps) parts.push(new Date().toISOString());
      if (lvl !== 'info') parts.push(lvl.toUpperCase());
      if (scope) parts.push(`[${scope}]`);
      parts.push(msg);
      sink(parts.join(' '));
    };
    return {
      debug: (m) => emit('debug', m),
      info: (m) => emit('info', m),
      warn: (m) => emit('warn', m),
      error: (m) => emit('error', m),
      child: (s) => make(scope ? `${scope}/${s}` : s),
    };
  };
  return make(opts.scope);
}

/** A logger that drops everything: for tests and embedded servers that should stay quiet. */
export const silentLogger: Logger = createLogger({ level: 'error', sink: () => {} });
