import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { ErrorCode } from '../../../protocols/kafka/error-codes.js';
import { ResourceType } from './config-resource.js';
import { defineHandler } from './api-handler.js';
import { brokerConfigEntries } from './broker-configs-view.js';
import type { ConfigEntryView } from './config-synonyms.js';
import { topicConfigEntries } from './topic-configs-view.js';

/**
 * DescribeConfigs for topics (effective values with their source and synonyms) and for this
 * broker (server.properties over the built-in defaults). v0 has no sources (Apache leaves
 * isDefault false); types are v3+ and documentation only on request.
 */
export const describeConfigsHandler = defineHandler({
  api: KafkaApis.DescribeConfigs,
  minVersion: 0,
  maxVersion: 4,
  handle: (req, ctx) => {
    const { broker } = ctx;
    const v = ctx.header.apiVersion;
    const results = req.resources.map((r) => {
      // Apache answers an empty message, not null, for a resource it describes.
      const base = { errorCode: ErrorCode.NONE, errorMessage: '', resourceType: r.resourceType, resourceName: r.resourceName };
      let entries: ConfigEntryView[];
      if (r.resourceType === ResourceType.topic) {
        if (!broker.topics.get(r.resourceName)) return { ...base, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `Topic ${r.resourceName} does not exist`, configs: [] };
        entries = topicConfigEntries(broker, r.resourceName);
      } else if (r.resourceType === ResourceType.broker) {
        if (r.resourceName !== '' && r.resourceName !== String(broker.nodeId)) {
          return { ...base, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `Unexpected broker id, expected ${broker.nodeId} or empty string, but received ${r.resourceName}`, configs: [] };
        }
        entries = brokerConfigEntries(broker);
      } else {
        return { ...base, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `resource type ${r.resourceType} is not supported`, configs: [] };
      }
      if (r.configurationKeys !== null) entries = entries.filter((e) => r.configurationKeys!.includes(e.name));
      return {
        ...base,
        configs: entries.map((e) => ({
          name: e.name,
          value: e.value,
          readOnly: e.readOnly,
          isDefault: false,
          configSource: v >= 1 ? e.source : -1,
          isSensitive: e.isSensitive,
          synonyms: v >= 1 && req.includeSynonyms ? e.synonyms : [],
          configType: e.configType,
          documentation: v >= 3 && req.includeDocumentation ? e.documentation : null,
        })),
      };
    });
    return { throttleTimeMs: 0, results };
  },
});
