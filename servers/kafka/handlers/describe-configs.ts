import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { ErrorCode } from '../../../protocols/kafka/error-codes.js';
import { ResourceType } from './config-resource.js';
import { defineHandler } from './api-handler.js';
import { ConfigSource, topicConfigEntries } from './topic-configs-view.js';

/**
 * DescribeConfigs for topics (effective values with their source and synonyms) and for this
 * broker (the server.properties it was started with, all static).
 */
export const describeConfigsHandler = defineHandler({
  api: KafkaApis.DescribeConfigs,
  minVersion: 0,
  maxVersion: 4,
  handle: (req, ctx) => {
    const { broker } = ctx;
    const v = ctx.header.apiVersion;
    const results = req.resources.map((r) => {
      const base = { errorCode: ErrorCode.NONE, errorMessage: null, resourceType: r.resourceType, resourceName: r.resourceName };
      let entries: Array<{ name: string; value: string | null; source: number; synonyms: Array<{ name: string; value: string | null; source: number }> }>;
      if (r.resourceType === ResourceType.topic) {
        if (!broker.topics.get(r.resourceName)) return { ...base, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `Topic ${r.resourceName} does not exist`, configs: [] };
        entries = topicConfigEntries(broker, r.resourceName);
      } else if (r.resourceType === ResourceType.broker) {
        if (r.resourceName !== '' && r.resourceName !== String(broker.nodeId)) {
          return { ...base, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `Unexpected broker id, expected ${broker.nodeId} or empty string, but received ${r.resourceName}`, configs: [] };
        }
        entries = Object.entries(broker.config.properties).map(([name, value]) => ({ name, value, source: ConfigSource.staticBroker, synonyms: [{ name, value, source: ConfigSource.staticBroker }] }));
      } else {
        return { ...base, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `resource type ${r.resourceType} is not supported`, configs: [] };
      }
      if (r.configurationKeys !== null) entries = entries.filter((e) => r.configurationKeys!.includes(e.name));
      return {
        ...base,
        configs: entries.map((e) => ({
          name: e.name,
          value: e.value,
          readOnly: r.resourceType === ResourceType.broker,
          isDefault: v === 0 && e.source === ConfigSource.default,
          configSource: v >= 1 ? e.source : -1,
          isSensitive: false,
          synonyms: v >= 1 && req.includeSynonyms ? e.synonyms : [],
          configType: 0,
          documentation: null,
        })),
      };
    });
    return { throttleTimeMs: 0, results };
  },
});
