import type { BrokerState } from '../broker-state.js';
import { ConfigType } from '../config/config-value-types.js';
import { InvalidConfigError } from '../config/invalid-config-error.js';
import { topicConfigDefinitions } from '../config/topic-config-definitions.js';
import { brokerDefaultOfTopicConfig, canonicalTopicConfigValue } from '../config/topic-config-values.js';
import { type ConfigEntryView, ConfigSource, brokerSettingSynonyms } from './config-synonyms.js';

export { ConfigSource, type ConfigEntryView };

/**
 * Every topic config of `topic` with its effective value and where it comes from: the topic's
 * own override, a server.properties setting (one of its broker synonyms) or the built-in
 * default, as Apache's ConfigHelper.createTopicConfigEntry reports them.
 */
export function topicConfigEntries(broker: BrokerState, topic: string): ConfigEntryView[] {
  return configEntriesWithOverrides(broker, broker.topics.get(topic)!.configs);
}

/** The same for a topic with these overrides, existing or not (CreateTopics validateOnly). */
export function configEntriesWithOverrides(broker: BrokerState, overrides: Record<string, string>): ConfigEntryView[] {
  const properties = broker.config.properties;
  return [...topicConfigDefinitions.values()].map((def) => {
    const override = overrides[def.name];
    const value = override !== undefined ? canonicalOrRaw(def.name, override) : brokerDefaultOfTopicConfig(def, properties);
    const synonyms = def.brokerSynonyms.length > 0 ? brokerSettingSynonyms(def.brokerSynonyms[0]!, properties) : [];
    if (override !== undefined) synonyms.unshift({ name: def.name, value, source: ConfigSource.topic });
    return {
      name: def.name,
      value,
      source: synonyms[0]?.source ?? ConfigSource.default,
      readOnly: false,
      isSensitive: false,
      configType: ConfigType[def.type],
      documentation: def.doc,
      synonyms,
    };
  });
}

/** Overrides were checked when stored; one that no longer parses is shown as it was given. */
function canonicalOrRaw(name: string, raw: string): string {
  try {
    return canonicalTopicConfigValue(topicConfigDefinitions.get(name)!, raw);
  } catch (err) {
    if (err instanceof InvalidConfigError) return raw;
    throw err;
  }
}

/** The values CreateTopics v5+ reports for a new topic with these overrides. */
export function createdTopicConfigs(broker: BrokerState, overrides: Record<string, string>) {
  return configEntriesWithOverrides(broker, overrides).map((e) => ({
    name: e.name,
    value: e.value,
    readOnly: e.readOnly,
    configSource: e.source,
    isSensitive: e.isSensitive,
  }));
}
