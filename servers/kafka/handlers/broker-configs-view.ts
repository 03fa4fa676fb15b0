import type { BrokerState } from '../broker-state.js';
import { brokerConfigDefinitions } from '../config/broker-config-definitions.js';
import { ConfigType, ConfigValueError, canonicalConfigValue } from '../config/config-value-types.js';
import { type ConfigEntryView, ConfigSource, brokerSettingSynonyms } from './config-synonyms.js';

/**
 * This broker's configs as DescribeConfigs reports them: every setting it knows, from
 * server.properties (STATIC_BROKER_CONFIG) or its default, read-only unless Apache can change
 * it at run time. A property it does not know is listed as Apache lists one: no value,
 * sensitive (it might be a secret), of unknown type.
 */
export function brokerConfigEntries(broker: BrokerState): ConfigEntryView[] {
  const properties = broker.config.properties;
  const known = [...brokerConfigDefinitions.values()].map((def): ConfigEntryView => {
    const synonyms = brokerSettingSynonyms(def.name, properties);
    const raw = properties[def.name];
    return {
      name: def.name,
      value: raw !== undefined ? canonicalOrRaw(def.type, raw) : def.defaultValue,
      source: synonyms[0]?.source ?? ConfigSource.default,
      readOnly: !def.dynamic,
      isSensitive: false,
      configType: ConfigType[def.type],
      documentation: def.doc,
      synonyms,
    };
  });
  const unknown = Object.keys(properties)
    .filter((name) => !brokerConfigDefinitions.has(name))
    .map((name): ConfigEntryView => ({
      name,
      value: null,
      source: ConfigSource.staticBroker,
      readOnly: true,
      isSensitive: true,
      configType: ConfigType.unknown,
      documentation: null,
      synonyms: [{ name, value: null, source: ConfigSource.staticBroker }],
    }));
  return [...known, ...unknown];
}

function canonicalOrRaw(type: Parameters<typeof canonicalConfigValue>[0], raw: string): string {
  try {
    return canonicalConfigValue(type, raw);
  } catch (err) {
    if (err instanceof ConfigValueError) return raw;
    throw err;
  }
}
