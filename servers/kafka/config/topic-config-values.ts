import { ConfigValueError, canonicalConfigValue } from './config-value-types.js';
import { InvalidConfigError } from './invalid-config-error.js';
import { type TopicConfigDefinition, topicConfigDefinitions } from './topic-config-definitions.js';

/** `raw` as Apache renders it once parsed (e.g. "delete, compact" → "delete,compact"); throws InvalidConfigError. */
export function canonicalTopicConfigValue(def: TopicConfigDefinition, raw: string): string {
  let value: string;
  try {
    value = canonicalConfigValue(def.type, raw);
  } catch (err) {
    if (err instanceof ConfigValueError) throw new InvalidConfigError(def.name, `Invalid value ${raw} for configuration ${def.name}: ${err.message}`);
    throw err;
  }
  const problem = def.validate?.(value);
  if (typeof problem === 'string') throw new InvalidConfigError(def.name, `Invalid value ${raw} for configuration ${def.name}: ${problem}`);
  if (problem !== undefined) throw new InvalidConfigError(def.name, `Invalid value ${problem.item} for configuration ${def.name}: ${problem.reason}`);
  return value;
}

/**
 * Checks a topic's overrides as Apache's LogConfig.validate does: every name must be a topic
 * config, every value must parse and pass its check, and the compaction lags must not cross.
 * Throws InvalidConfigError for the first problem.
 */
export function validateTopicConfigs(configs: Record<string, string | null>): void {
  const nulls = Object.keys(configs).filter((k) => configs[k] === null);
  if (nulls.length > 0) throw new InvalidConfigError(nulls[0]!, `Null value not supported for topic configs: ${nulls.join(',')}`);
  const canonical: Record<string, string> = {};
  for (const [name, raw] of Object.entries(configs)) {
    const def = topicConfigDefinitions.get(name);
    if (!def) throw new InvalidConfigError(name, `Unknown topic config name: ${name}`);
    canonical[name] = canonicalTopicConfigValue(def, raw!);
  }
  const minLag = BigInt(canonical['min.compaction.lag.ms'] ?? topicConfigDefinitions.get('min.compaction.lag.ms')!.defaultValue);
  const maxLag = BigInt(canonical['max.compaction.lag.ms'] ?? topicConfigDefinitions.get('max.compaction.lag.ms')!.defaultValue);
  if (minLag > maxLag) {
    throw new InvalidConfigError('min.compaction.lag.ms', `conflict topic config setting min.compaction.lag.ms (${minLag}) > max.compaction.lag.ms (${maxLag})`);
  }
  // The reference broker has no tiered storage, as an Apache broker with it disabled.
  if (canonical['remote.storage.enable'] === 'true') {
    throw new InvalidConfigError('remote.storage.enable', 'Tiered Storage functionality is disabled in the broker. Topic cannot be configured with remote log storage.');
  }
}

const UNIT_MS: Array<[suffix: string, scale: bigint]> = [
  ['.hours', 3_600_000n],
  ['.minutes', 60_000n],
];

/** A broker property's value in its topic config's unit (log.retention.hours=1 → 3600000 ms). */
function inTopicUnit(property: string, raw: string): string {
  const unit = UNIT_MS.find(([suffix]) => property.endsWith(suffix));
  if (!unit) return raw;
  if (!/^[+-]?\d+$/.test(raw.trim())) throw new InvalidConfigError(property, `Invalid value ${raw} for configuration ${property}: Not a number of type INT`);
  const n = BigInt(raw.trim());
  return String(n < 0n ? -1n : n * unit[1]);
}

/**
 * The value a topic without an override gets: the first of its broker synonyms set in
 * server.properties (converted to the topic config's unit), else the built-in default.
 */
export function brokerDefaultOfTopicConfig(def: TopicConfigDefinition, properties: Record<string, string>): string {
  const property = def.brokerSynonyms.find((s) => properties[s] !== undefined);
  if (property === undefined) return def.defaultValue;
  const raw = properties[property]!;
  try {
    return canonicalTopicConfigValue(def, inTopicUnit(property, raw));
  } catch (err) {
    if (err instanceof InvalidConfigError && err.key === def.name) {
      throw new InvalidConfigError(property, `${property}=${raw} is not a valid default for topic config ${def.name}: ${err.message}`);
    }
    throw err;
  }
}
