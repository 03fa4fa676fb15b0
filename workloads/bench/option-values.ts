import { UsageError } from '../../common/errors.js';

/** A number > 0 from a command-line flag, or a usage error naming the flag. */
export function positiveNumber(flag: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0) throw new UsageError('KZ_USAGE', `${flag} needs a positive number, got '${text}'`);
  return n;
}

/** A number >= 0 from a command-line flag. */
export function nonNegativeNumber(flag: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0) throw new UsageError('KZ_USAGE', `${flag} needs a number >= 0, got '${text}'`);
  return n;
}

/** A whole number >= 1 from a command-line flag. */
export function positiveInt(flag: string, text: string): number {
  const n = positiveNumber(flag, text);
  if (!Number.isInteger(n)) throw new UsageError('KZ_USAGE', `${flag} needs a whole number, got '${text}'`);
  return n;
}

/** Commander collector for repeatable flags (`--set a=1 --set b=2`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `a,b, c` → `['a', 'b', 'c']`. */
export function commaList(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter(Boolean);
}
