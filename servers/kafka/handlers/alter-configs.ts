import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { alterTopicConfigs } from './alter-topic-configs.js';
import { defineHandler } from './api-handler.js';

/** AlterConfigs (legacy): the given configs replace the topic's whole override set. */
export const alterConfigsHandler = defineHandler({
  api: KafkaApis.AlterConfigs,
  minVersion: 0,
  maxVersion: 2,
  handle: (req, ctx) => ({
    throttleTimeMs: 0,
    responses: req.resources.map((r) =>
      alterTopicConfigs(ctx.broker, r.resourceType, r.resourceName, req.validateOnly, () => {
        const next: Record<string, string> = {};
        for (const c of r.configs) if (c.value !== null) next[c.name] = c.value;
        return next;
      }),
    ),
  }),
});
