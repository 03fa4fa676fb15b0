import { UsageError } from '../common/errors.js';

/** The value of a `--port` option: a TCP port (0 picks a free one), or undefined when the option is absent. */
export function parsePortOption(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError('KZ_USAGE', `--port ${raw} is not a TCP port (0-65535)`);
  return n;
}
