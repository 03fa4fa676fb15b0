import { listItems } from './config-value-types.js';

/**
 * Checks on a config's canonical value beyond its type (Apache's ConfigDef.Validator);
 * returns the reason a value is refused, in ConfigException's wording, or undefined. A list
 * check names the one item it refuses, as Apache's message does.
 */
export type ConfigValidator = (value: string) => string | { item: string; reason: string } | undefined;

/** Numbers compared exactly: integer configs go up to Long.MAX_VALUE. */
function compare(value: string, bound: number | bigint): number {
  if (typeof bound === 'bigint' || /^[+-]?\d+$/.test(value)) {
    const v = BigInt(value);
    const b = BigInt(bound);
    return v < b ? -1 : v > b ? 1 : 0;
  }
  const v = Number(value);
  return v < bound ? -1 : v > bound ? 1 : 0;
}

export const atLeast =
  (min: number): ConfigValidator =>
  (value) =>
    compare(value, min) < 0 ? `Value must be at least ${min}` : undefined;

export const between =
  (min: number, max: number): ConfigValidator =>
  (value) =>
    compare(value, min) < 0 ? `Value must be at least ${min}` : compare(value, max) > 0 ? `Value must be no more than ${max}` : undefined;

export const oneOf =
  (...allowed: string[]): ConfigValidator =>
  (value) =>
    allowed.includes(value) ? undefined : `String must be one of: ${allowed.join(', ')}`;

export const listOf =
  (...allowed: string[]): ConfigValidator =>
  (value) => {
    const bad = listItems(value).find((item) => !allowed.includes(item));
    return bad === undefined ? undefined : { item: bad, reason: `String must be one of: ${allowed.join(', ')}` };
  };

/** gzip levels: the codec default (-1) or 1..9. */
export const gzipLevel: ConfigValidator = (value) =>
  value === '-1' || (compare(value, 1) >= 0 && compare(value, 9) <= 0) ? undefined : 'Value must be between 1 and 9, or -1 for the default level';

/** `*` or `partition:broker` pairs (Apache's ThrottledReplicaListValidator). */
export const throttledReplicas: ConfigValidator = (value) => {
  const items = listItems(value);
  if (items.length === 1 && items[0] === '*') return undefined;
  return items.every((item) => /^\d+:\d+$/.test(item)) ? undefined : "must be the literal '*' or a list of replicas in the following format: [partitionId]:[brokerId],[partitionId]:[brokerId],...";
};

/** A Kafka release or inter-broker protocol version such as 2.8, 3.0-IV1 or 0.10.2. */
export const releaseVersion: ConfigValidator = (value) =>
  /^\d+\.\d+(\.\d+)?(-IV\d+)?$/.test(value) ? undefined : `Version ${value} is not a valid version`;
