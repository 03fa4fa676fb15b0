import { brokerConfigDefinitions, brokerConfigSynonyms } from '../config/broker-config-definitions.js';

/** DescribeConfigs' ConfigSource values (Apache `DescribeConfigsResponse.ConfigSource`). */
export const ConfigSource = {
  unknown: 0,
  topic: 1,
  dynamicBroker: 2,
  dynamicDefaultBroker: 3,
  staticBroker: 4,
  default: 5,
} as const;

export interface ConfigSynonymView {
  name: string;
  value: string | null;
  source: number;
}

/** One config as DescribeConfigs reports it, before the request's version and flags trim it. */
export interface ConfigEntryView {
  name: string;
  value: string | null;
  source: number;
  readOnly: boolean;
  isSensitive: boolean;
  configType: number;
  documentation: string | null;
  synonyms: ConfigSynonymView[];
}

/**
 * Where broker setting `name` comes from, most specific first, as Apache lists it
 * (DynamicBrokerConfig.configSynonyms): each of its synonyms set in server.properties, then
 * each one's built-in default; entries ahead of `name` itself are dropped, so a retention
 * given in hours is not a synonym of log.retention.ms.
 */
export function brokerSettingSynonyms(name: string, properties: Record<string, string>, sensitive = false): ConfigSynonymView[] {
  const names = brokerConfigSynonyms(name);
  const all: ConfigSynonymView[] = [];
  for (const s of names) {
    if (properties[s] !== undefined) all.push({ name: s, value: sensitive ? null : properties[s]!, source: ConfigSource.staticBroker });
  }
  for (const s of names) {
    const d = brokerConfigDefinitions.get(s)?.defaultValue;
    if (d !== undefined && d !== null) all.push({ name: s, value: sensitive ? null : d, source: ConfigSource.default });
  }
  const first = all.findIndex((e) => e.name === name);
  return first < 0 ? [] : all.slice(first);
}
