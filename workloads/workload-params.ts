import { UsageError } from '../common/errors.js';

/**
 * A setting a workload understands, given on the command line as `--set name=value`. Declared
 * by the workload so `kzbench run --list` can show it and a misspelt name is an error instead
 * of a silently ignored flag.
 */
export interface WorkloadParam {
  name: string;
  description: string;
  /** Shown in `--list`; the value used when the parameter is not given. */
  default: string;
}

/** `--set a=1 --set b=x` → `{a: '1', b: 'x'}`; a repeated name keeps the last value. */
export function parseParamAssignments(assignments: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of assignments) {
    const eq = a.indexOf('=');
    if (eq <= 0) throw new UsageError('KZ_PARAM_INVALID', `--set expects name=value (e.g. --set value-size=1024), not '${a}'`);
    out[a.slice(0, eq).trim()] = a.slice(eq + 1).trim();
  }
  return out;
}

/**
 * Typed access to a workload's parameters: every given name must be declared, and every
 * value parses or the run stops with a usage error (exit 2) naming the parameter.
 */
export class WorkloadParams {
  private readonly values: Record<string, string>;

  constructor(
    private readonly workload: string,
    private readonly declared: readonly WorkloadParam[],
    given: Record<string, string>,
  ) {
    const known = new Set(declared.map((p) => p.name));
    for (const name of Object.keys(given)) {
      if (!known.has(name)) {
        throw new UsageError(
          'KZ_PARAM_UNKNOWN',
          `workload '${workload}' has no parameter '${name}'; it takes: ${declared.map((p) => p.name).join(', ') || 'none'} (see kzbench run --list)`,
        );
      }
    }
    this.values = { ...Object.fromEntries(declared.map((p) => [p.name, p.default])), ...given };
  }

  string(name: string): string {
    const v = this.values[name];
    if (v === undefined) throw new Error(`workload '${this.workload}' reads undeclared parameter '${name}'`);
    return v;
  }

  /** A whole number within [min, max]. */
  int(name: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
    const raw = this.string(name);
    const n = Number(raw);
    if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw this.invalid(name, raw, `a whole number from ${min} to ${max}`);
    }
    return n;
  }

  bool(name: string): boolean {
    const raw = this.string(name).toLowerCase();
    if (['true', 'yes', '1', 'on'].includes(raw)) return true;
    if (['false', 'no', '0', 'off'].includes(raw)) return false;
    throw this.invalid(name, raw, 'true or false');
  }

  oneOf<T extends string>(name: string, choices: readonly T[]): T {
    const raw = this.string(name);
    if ((choices as readonly string[]).includes(raw)) return raw as T;
    throw this.invalid(name, raw, `one of ${choices.join(', ')}`);
  }

  /** A comma-separated, non-empty list whose items are all among `choices` (duplicates dropped). */
  listOf<T extends string>(name: string, choices: readonly T[]): T[] {
    const items = this.string(name).split(',').map((s) => s.trim()).filter(Boolean);
    const bad = items.filter((i) => !(choices as readonly string[]).includes(i));
    if (items.length === 0 || bad.length > 0) throw this.invalid(name, this.string(name), `a comma-separated list of ${choices.join(', ')}`);
    return [...new Set(items)] as T[];
  }

  /** Every parameter with its resolved value, for results.json's config echo. */
  resolved(): Record<string, string> {
    return { ...this.values };
  }

  private invalid(name: string, raw: string, expected: string): UsageError {
    return new UsageError('KZ_PARAM_INVALID', `workload '${this.workload}': --set ${name}=${raw} is not valid; expected ${expected}`);
  }
}
