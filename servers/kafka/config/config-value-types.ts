/**
 * Config value types as Apache's ConfigDef knows them, with the numbering DescribeConfigs v3+
 * reports (`DescribeConfigsResponse.ConfigType`), and how a raw string becomes the canonical
 * text Apache shows (ConfigDef.parseType then convertToString).
 */
export const ConfigType = {
  unknown: 0,
  boolean: 1,
  string: 2,
  int: 3,
  short: 4,
  long: 5,
  double: 6,
  list: 7,
  class: 8,
  password: 9,
} as const;
export type ConfigTypeName = Exclude<keyof typeof ConfigType, 'unknown'>;

/** A value Apache would refuse; the message follows ConfigException's wording. */
export class ConfigValueError extends Error {}

const INTEGER_RANGES: Partial<Record<ConfigTypeName, [bigint, bigint]>> = {
  short: [-(2n ** 15n), 2n ** 15n - 1n],
  int: [-(2n ** 31n), 2n ** 31n - 1n],
  long: [-(2n ** 63n), 2n ** 63n - 1n],
};

function parseInteger(raw: string, type: ConfigTypeName): bigint {
  const text = raw.trim();
  const [min, max] = INTEGER_RANGES[type]!;
  if (!/^[+-]?\d+$/.test(text)) throw new ConfigValueError(`Not a number of type ${type.toUpperCase()}`);
  const n = BigInt(text);
  if (n < min || n > max) throw new ConfigValueError(`Not a number of type ${type.toUpperCase()}`);
  return n;
}

/** Java's Double.toString: always a fraction digit, scientific notation outside [1e-3, 1e7). */
export function javaDoubleText(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity';
  const abs = Math.abs(n);
  if (abs === 0 || (abs >= 1e-3 && abs < 1e7)) return Number.isInteger(n) ? `${n}.0` : String(n);
  const [mantissa, exponent] = n.toExponential().split('e') as [string, string];
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exponent.replace('+', '')}`;
}

/** The list items of a LIST value: comma-separated, trimmed, empty items dropped. */
export function listItems(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Parses `raw` as `type` and renders it as Apache does; throws ConfigValueError if it is not one. */
export function canonicalConfigValue(type: ConfigTypeName, raw: string): string {
  switch (type) {
    case 'boolean': {
      const v = raw.trim().toLowerCase();
      if (v !== 'true' && v !== 'false') throw new ConfigValueError('Expected value to be either true or false');
      return v;
    }
    case 'short':
    case 'int':
    case 'long':
      return parseInteger(raw, type).toString();
    case 'double': {
      const text = raw.trim();
      const n = Number(text);
      if (text === '' || Number.isNaN(n)) throw new ConfigValueError('Not a number of type DOUBLE');
      return javaDoubleText(n);
    }
    case 'list':
      return listItems(raw).join(',');
    case 'string':
    case 'class':
    case 'password':
      return raw.trim();
  }
}
