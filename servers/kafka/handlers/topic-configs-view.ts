import type { BrokerState } from '../broker-state.js';
import { brokerSynonyms, formatTopicConfig, topicConfigKeys } from '../log/log-config.js';

/** DescribeConfigs' ConfigSource values (Apache `DescribeConfigsResponse.ConfigSource`). */
export const ConfigSource = {
  unknown: 0,
  topic: 1,
  dynamicBroker: 2,
  dynamicDefaultBroker: 3,
  staticBroker: 4,
  default: 5,
} as const;

export interface ConfigEntryView {
  name: string;
  value: string | null;
  source: number;
  synonyms: Array<{ name: string; value: string | null; source: number }>;
}

/**
 * A topic's effective configs with where each value comes from: a topic override, a
 * server.properties setting (its synonym) or the built-in default.
 */
export function topicConfigEntries(broker: BrokerState, topic: string): ConfigEntryView[] {
  const t = broker.topics.get(topic)!;
  const effective = broker.topics.logConfig(topic)!;
  const keys = [...new Set([...Object.keys(topicConfigKeys), ...Object.keys(t.configs)])].sort();
  return keys.map((name) => {
    const synonyms: ConfigEntryView['synonyms'] = [];
    if (t.configs[name] !== undefined) synonyms.push({ name, value: t.configs[name]!, source: ConfigSource.topic });
    for (const s of brokerSynonyms[name] ?? []) {
      const v = broker.config.properties[s];
      if (v !== undefined) synonyms.push({ name: s, value: v, source: ConfigSource.staticBroker });
    }
    const value = formatTopicConfig(effective, name) ?? t.configs[name] ?? null;
    return { name, value, source: synonyms[0]?.source ?? ConfigSource.default, synonyms };
  });
}

/** The values CreateTopics v5+ reports for a new topic. */
export function createdTopicConfigs(broker: BrokerState, topic: string) {
  return topicConfigEntries(broker, topic).map((e) => ({
    name: e.name,
    value: e.value,
    readOnly: false,
    configSource: e.source,
    isSensitive: false,
  }));
}
