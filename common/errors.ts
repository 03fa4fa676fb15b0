/**
 * The exit-code contract of DESIGN.md, and the one error shape every layer throws.
 *
 * Any error with a numeric `exitCode` and a string `code` is understood by the CLI, so a
 * layer can define its own subclasses (ConfigError in servers, CodecError in protocols)
 * without importing the CLI.
 */
export const ExitCode = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  violation: 3,
  thresholdBreached: 4,
  unknown: 5,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class KzbenchError extends Error {
  /** Stable machine code, e.g. `KZ_CONFIG_INVALID`. */
  readonly code: string;
  readonly exitCode: ExitCode;
  constructor(code: string, message: string, exitCode: ExitCode = ExitCode.unexpected, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** Bad flags, bad config files, missing prerequisites the user can fix: exit 2. */
export class UsageError extends KzbenchError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, ExitCode.usage, options);
  }
}

export function isKzbenchError(err: unknown): err is { code: string; exitCode: number; message: string } {
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as { exitCode?: unknown }).exitCode === 'number' &&
    typeof (err as { code?: unknown }).code === 'string'
  );
}
